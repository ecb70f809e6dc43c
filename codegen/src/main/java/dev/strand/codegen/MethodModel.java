package dev.strand.codegen;

/**
 * One rpc, with the Java names chosen for it.
 *
 * @param protoName the rpc's name in the .proto, which is also its name on the wire
 * @param javaName the name of its Java methods (interfaces and clients alike)
 * @param constantName the name of its descriptor in the {@code Methods} class
 * @param comment the rpc's .proto comment, or empty
 */
record MethodModel(
    String protoName,
    String javaName,
    String constantName,
    CallShape shape,
    JavaType request,
    JavaType response,
    String comment,
    boolean deprecated) {}

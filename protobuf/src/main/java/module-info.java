/**
 * Protobuf messages for Strand: the binary marshaller, service schemas for reflection, and (with
 * protobuf-java-util present, an optional dependency) ProtoJSON for the web protocols. A named
 * module so that strand-web, a named module itself, can require it from the reactor as from a jar.
 */
module dev.strand.protobuf {
  requires transitive dev.strand.core;
  requires transitive com.google.protobuf;
  requires static com.google.protobuf.util;

  exports dev.strand.protobuf;
  exports dev.strand.protobuf.json;
}

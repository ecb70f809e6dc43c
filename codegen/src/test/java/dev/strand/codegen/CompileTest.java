package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles the generated services against strand-core and strand-protobuf with every lint warning
 * an error, then loads them and checks what they bind. Reflection keeps this source free of Strand
 * types, so the generator's other tests still build with {@code -Dgolden.only}.
 */
class CompileTest {
  private static final Path CLASSES = Protoc.WORK_DIR.resolve("classes");

  private static Protoc.Result protoc;
  private static CodeGeneratorResponse generated;

  @BeforeAll
  static void compile() throws Exception {
    assumeFalse(
        Boolean.getBoolean("golden.only"),
        "-Dgolden.only: strand-core is not on the" + " test classpath");
    protoc = Protoc.run();
    generated = StrandGenerator.generate(protoc.request());
    assertFalse(generated.hasError(), generated.getError());

    Path sources = Protoc.recreate(Protoc.WORK_DIR.resolve("strand-java"));
    List<Path> ours = new ArrayList<>();
    for (CodeGeneratorResponse.File file : generated.getFileList()) {
      Path path = sources.resolve(file.getName());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getContent(), StandardCharsets.UTF_8);
      ours.add(path);
    }
    Protoc.recreate(CLASSES);
    // protoc's message classes are not ours to lint.
    javac(javaFiles(protoc.javaMessages()), List.of("-Xlint:none", "-nowarn"));
    javac(ours, List.of("-Xlint:all", "-Werror"));
  }

  @Test
  void generatedCodeCompilesWithoutWarnings() {
    // compile() fails on any warning; reaching here means there was none.
    assertTrue(Files.isDirectory(CLASSES));
  }

  @Test
  void everyServiceBindsEveryMethodInBothFlavours() throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {CLASSES.toUri().toURL()}, getClass().getClassLoader())) {
      for (FileDescriptorProto file : protoc.descriptors().getFileList()) {
        if (!protoc.protoFiles().contains(file.getName())) {
          continue;
        }
        for (ServiceDescriptorProto service : file.getServiceList()) {
          Class<?> blocking = loader.loadClass(generatedClass(file, service));
          Class<?> async = loader.loadClass(blocking.getName() + "$Async");
          checkDefinition(bind(blocking), file, service);
          checkDefinition(bind(async), file, service);
          checkClient(blocking);
        }
      }
    }
  }

  /** The class generated for a service, found from the response's file names. */
  private static String generatedClass(FileDescriptorProto file, ServiceDescriptorProto service) {
    String serviceName = file.getPackage() + "." + service.getName();
    for (CodeGeneratorResponse.File out : generated.getFileList()) {
      if (out.getContent().contains("SERVICE_NAME = \"" + serviceName + "\";")) {
        return out.getName().replace('/', '.').replace(".java", "");
      }
    }
    throw new AssertionError("no file generated for " + serviceName);
  }

  /** Calls the default bindService of a stand-in implementation of the interface. */
  private static Object bind(Class<?> serviceInterface) throws Exception {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new UnsupportedOperationException(method.getName());
        };
    Object impl =
        Proxy.newProxyInstance(
            serviceInterface.getClassLoader(), new Class<?>[] {serviceInterface}, handler);
    return serviceInterface.getMethod("bindService").invoke(impl);
  }

  private static void checkDefinition(
      Object definition, FileDescriptorProto file, ServiceDescriptorProto service)
      throws Exception {
    String serviceName = file.getPackage() + "." + service.getName();
    assertEquals(serviceName, call(definition, "name"));
    Collection<?> methods = (Collection<?>) call(definition, "methods");
    List<String> bound = new ArrayList<>();
    for (Object method : methods) {
      bound.add((String) call(call(method, "descriptor"), "fullName"));
    }
    List<String> declared =
        service.getMethodList().stream().map(m -> serviceName + "/" + m.getName()).toList();
    assertEquals(declared, bound);
    Object schema = call(definition, "schemaDescriptor");
    assertEquals(
        serviceName,
        ((com.google.protobuf.Descriptors.ServiceDescriptor) call(schema, "service"))
            .getFullName());
  }

  /** A client is made from any channel, and its copies and async flavour come back. */
  private static void checkClient(Class<?> blocking) throws Exception {
    Class<?> channelType = blocking.getClassLoader().loadClass("dev.strand.client.Channel");
    Object channel =
        Proxy.newProxyInstance(
            blocking.getClassLoader(),
            new Class<?>[] {channelType},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            });
    Object client = blocking.getMethod("client", channelType).invoke(null, channel);
    Object later =
        client
            .getClass()
            .getMethod("withTimeout", Duration.class)
            .invoke(client, Duration.ofSeconds(1));
    assertNotNull(later.getClass().getMethod("async").invoke(later));
  }

  private static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    m.setAccessible(true);
    return m.invoke(target);
  }

  private static void javac(List<Path> files, List<String> lintOptions) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-proc:none",
                "-encoding",
                "UTF-8",
                "-d",
                CLASSES.toString(),
                "-classpath",
                classpath()));
    options.addAll(lintOptions);
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
      boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null, units).call();
      List<Diagnostic<? extends JavaFileObject>> reported = diagnostics.getDiagnostics();
      if (!ok || !reported.isEmpty()) {
        throw new AssertionError(
            "javac "
                + lintOptions
                + " reported:\n"
                + reported.stream()
                    .map(
                        d ->
                            d.getKind()
                                + " "
                                + d.getSource().getName()
                                + ":"
                                + d.getLineNumber()
                                + ": "
                                + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n")));
      }
    }
  }

  /**
   * The test classpath (surefire names it; the JVM's own may be a manifest-only jar), plus the
   * classes compiled so far; only entries that exist, since -Xlint:path reports the others.
   */
  private static String classpath() {
    String testPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>();
    entries.add(CLASSES.toString());
    for (String entry : testPath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && Files.exists(Paths.get(entry))) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}

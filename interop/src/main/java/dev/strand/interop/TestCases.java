package dev.strand.interop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every test case the client knows, by its interop name, in the order {@code all} runs them. */
final class TestCases {
  /** One test case: returns normally when it passes, throws when it fails. */
  @FunctionalInterface
  interface TestCase {
    void run(Tester tester) throws Exception;
  }

  private static final Map<String, TestCase> CASES = new LinkedHashMap<>();

  static {
    CASES.put("empty_unary", UnaryCases::emptyUnary);
    CASES.put("large_unary", UnaryCases::largeUnary);
    CASES.put("client_compressed_unary", t -> UnaryCases.clientCompressedUnary(t, true));
    CASES.put("server_compressed_unary", UnaryCases::serverCompressedUnary);
    CASES.put("client_streaming", StreamingCases::clientStreaming);
    CASES.put(
        "client_compressed_streaming", t -> StreamingCases.clientCompressedStreaming(t, true));
    CASES.put("server_streaming", StreamingCases::serverStreaming);
    CASES.put("server_compressed_streaming", StreamingCases::serverCompressedStreaming);
    CASES.put("ping_pong", StreamingCases::pingPong);
    CASES.put("empty_stream", StreamingCases::emptyStream);
    CASES.put("timeout_on_sleeping_server", CancelCases::timeoutOnSleepingServer);
    CASES.put("cancel_after_begin", CancelCases::cancelAfterBegin);
    CASES.put("cancel_after_first_response", CancelCases::cancelAfterFirstResponse);
    CASES.put("custom_metadata", StatusCases::customMetadata);
    CASES.put("status_code_and_message", StatusCases::statusCodeAndMessage);
    CASES.put("special_status_message", StatusCases::specialStatusMessage);
    CASES.put("unimplemented_method", StatusCases::unimplementedMethod);
    CASES.put("unimplemented_service", StatusCases::unimplementedService);
    CASES.put("very_large_request", UnaryCases::veryLargeRequest);
  }

  /**
   * Not in {@code all}: grpc-java's variants without the feature probe, for servers (grpc-java's
   * own among them) that do not implement the CompressedRequest check.
   */
  private static final Map<String, TestCase> EXTRA =
      Map.of(
          "client_compressed_unary_noprobe",
          t -> UnaryCases.clientCompressedUnary(t, false),
          "client_compressed_streaming_noprobe",
          t -> StreamingCases.clientCompressedStreaming(t, false));

  private TestCases() {}

  /** The names {@code --test_case=all} runs. */
  static List<String> all() {
    return List.copyOf(CASES.keySet());
  }

  /** The case with this name, or null. */
  static TestCase find(String name) {
    TestCase c = CASES.get(name);
    return c != null ? c : EXTRA.get(name);
  }

  static String known() {
    return String.join(", ", CASES.keySet()) + ", " + String.join(", ", EXTRA.keySet());
  }
}

// A real Connect client against a Strand server: connect-es's Connect transport from
// @connectrpc/connect-node, in binary (application/proto, application/connect+proto) or JSON
// (application/json, application/connect+json), runs the interop cases and a few of Strand's own,
// and prints one JSON line per case for ConnectClientTest to assert on.
//
//   node connect-client.mjs BASE_URL HTTP_VERSION FORMAT [CA_PEM SERVER_NAME] DESCRIPTOR_SET
//
// BASE_URL: http://127.0.0.1:PORT or https://...; HTTP_VERSION: "2" (h2c with prior knowledge
// over http, ALPN h2 over https) or "1.1"; FORMAT: "proto" or "json"; CA_PEM and SERVER_NAME,
// for https: the CA to trust and the name to check the server's certificate against;
// DESCRIPTOR_SET: a serialized google.protobuf.FileDescriptorSet
// holding grpc.testing's test.proto, strand.test's lookup.proto and their imports, written by the
// Java test, so no code is generated here.

import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport } from "@connectrpc/connect-node";

const args = process.argv.slice(2);
const [baseUrl, httpVersion, format] = args;
const descriptorSet = args.at(-1);
const [trustedCa, serverName] = args.length === 6 ? args.slice(3, 5) : [];
// Over HTTP/1.1 it also offers ALPN http/1.1, as browsers do (Node's own default offers none).
const nodeOptions = trustedCa
  ? {
      ca: readFileSync(trustedCa),
      servername: serverName,
      ...(httpVersion === "1.1" ? { ALPNProtocols: ["http/1.1"] } : {}),
    }
  : {};
const registry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)),
);
const testService = registry.getService("grpc.testing.TestService");
const unimplementedService = registry.getService("grpc.testing.UnimplementedService");
const lookupService = registry.getService("strand.test.Lookup");
const echoStatus = registry.getMessage("grpc.testing.EchoStatus");

const options = { baseUrl, httpVersion, nodeOptions, useBinaryFormat: format === "proto" };
const transport = createConnectTransport(options);
// Compresses every request message, however small (connect's default starts at 1 KiB).
const gzipTransport = createConnectTransport({
  ...options,
  sendCompression: compressionGzip,
  compressMinBytes: 0,
});
// Calls methods without side effects with GET.
const getTransport = createConnectTransport({ ...options, useHttpGet: true });
const client = createClient(testService, transport);
const gzipClient = createClient(testService, gzipTransport);
const unimplemented = createClient(unimplementedService, transport);
const lookup = createClient(lookupService, getTransport);

const SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
const ECHO_HEADERS = {
  "x-grpc-test-echo-initial": "test_initial_metadata_value",
  "x-grpc-test-echo-trailing-bin": "q6ur", // 0xababab
};

/** Runs one call and describes how it went: messages (their payload sizes), status, metadata. */
async function record(name, call) {
  const result = { case: name, code: 0, message: "", sizes: [], headers: {}, trailers: {} };
  const callOptions = {
    onHeader: (h) => (result.headers = Object.fromEntries(h.entries())),
    onTrailer: (t) => (result.trailers = Object.fromEntries(t.entries())),
  };
  try {
    await call(callOptions, (response) => {
      result.sizes.push(response.payload?.body?.length ?? 0);
      if (response.aggregatedPayloadSize !== undefined) {
        result.aggregated = response.aggregatedPayloadSize;
      }
      if (response.username !== undefined) {
        result.username = response.username;
      }
    });
  } catch (e) {
    const error = ConnectError.from(e);
    result.code = error.code;
    result.message = error.rawMessage;
    result.details = error.findDetails(echoStatus).map((d) => ({ code: d.code, message: d.message }));
  }
  console.log(JSON.stringify(result));
}

const unary = (c, method, request, extra = {}) => async (callOptions, seen) =>
  seen(await c[method](request, { ...callOptions, ...extra }));

const stream = (method, request, extra = {}) => async (callOptions, seen) => {
  for await (const response of client[method](request, { ...callOptions, ...extra })) {
    seen(response);
  }
};

async function* payloads(sizes) {
  for (const size of sizes) {
    yield { payload: { body: new Uint8Array(size) } };
  }
}

/** Bidi ping-pong: each request is sent only once the previous response came back. */
const pingPong = async (callOptions, seen) => {
  const sizes = [
    [31415, 27182],
    [9, 8],
    [2653, 1828],
    [58979, 45904],
  ];
  const queue = [];
  let wake;
  async function* requests() {
    for (const [responseSize, requestSize] of sizes) {
      yield {
        responseParameters: [{ size: responseSize }],
        payload: { body: new Uint8Array(requestSize) },
      };
      while (queue.length === 0) {
        await new Promise((resolve) => (wake = resolve));
      }
      queue.shift();
    }
  }
  // Bounded: a server that never answered would otherwise leave the client waiting.
  for await (const response of client.fullDuplexCall(requests(), { ...callOptions, timeoutMs: 10_000 })) {
    seen(response);
    queue.push(response);
    wake?.();
  }
};

const cases = [
  ["empty_unary", unary(client, "emptyCall", {})],
  [
    "large_unary",
    unary(client, "unaryCall", {
      responseSize: 314159,
      payload: { body: new Uint8Array(271828) },
    }),
  ],
  [
    "client_compressed_unary",
    unary(gzipClient, "unaryCall", { responseSize: 1000, payload: { body: new Uint8Array(5000) } }),
  ],
  [
    "client_compressed_streaming",
    async (callOptions, seen) =>
      seen(await gzipClient.streamingInputCall(payloads([27182, 8, 1828, 45904]), callOptions)),
  ],
  [
    "server_streaming",
    stream("streamingOutputCall", {
      responseParameters: [{ size: 31415 }, { size: 9 }, { size: 2653 }, { size: 58979 }],
    }),
  ],
  ["server_streaming_empty", stream("streamingOutputCall", {})],
  [
    "client_streaming",
    async (callOptions, seen) =>
      seen(await client.streamingInputCall(payloads([27182, 8, 1828, 45904]), callOptions)),
  ],
  ["ping_pong", pingPong],
  ["custom_metadata_unary", unary(client, "unaryCall", { responseSize: 1 }, { headers: ECHO_HEADERS })],
  [
    "custom_metadata_streaming",
    stream("streamingOutputCall", { responseParameters: [{ size: 1 }] }, { headers: ECHO_HEADERS }),
  ],
  [
    "status_code_and_message",
    unary(client, "unaryCall", { responseStatus: { code: 2, message: "test status message" } }),
  ],
  [
    "special_status_message",
    unary(client, "unaryCall", { responseStatus: { code: 2, message: SPECIAL_MESSAGE } }),
  ],
  [
    "streaming_status",
    stream("streamingOutputCall", {
      responseParameters: [{ size: 1 }],
      responseStatus: { code: 9, message: SPECIAL_MESSAGE },
    }),
  ],
  [
    "error_details",
    unary(lookup, "put", { responseStatus: { code: 5, message: "nöt found ☺" } }),
  ],
  ["get_without_side_effects", unary(lookup, "get", { responseSize: 42, payload: { body: new Uint8Array(3) } })],
  ["unimplemented_method", unary(client, "unimplementedCall", {})],
  ["unimplemented_service", unary(unimplemented, "unimplementedCall", {})],
  [
    "timeout_on_sleeping_server",
    stream(
      "streamingOutputCall",
      { responseParameters: [{ size: 1, intervalUs: 2_000_000 }] },
      { timeoutMs: 300 },
    ),
  ],
  [
    "oversized_request",
    unary(client, "unaryCall", { payload: { body: new Uint8Array(2 * 1024 * 1024) } }),
  ],
  ["handler_throws", unary(client, "emptyCall", {}, { headers: { "x-test-throw": "secret" } })],
];

for (const [name, call] of cases) {
  await record(name, call);
}

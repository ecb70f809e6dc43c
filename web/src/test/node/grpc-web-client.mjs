// A real gRPC-Web client against a Strand server: connect-es's gRPC-Web transport (binary
// application/grpc-web+proto) runs gRPC-Web's interop cases and a few of Strand's own, and prints
// one JSON line per case for GrpcWebClientTest to assert on.
//
//   node grpc-web-client.mjs BASE_URL HTTP_VERSION DESCRIPTOR_SET [CA_PEM SERVER_NAME]
//
// BASE_URL: http://127.0.0.1:PORT or https://...; HTTP_VERSION: "2" (h2c with prior knowledge
// over http, ALPN h2 over https) or "1.1"; DESCRIPTOR_SET: a serialized
// google.protobuf.FileDescriptorSet holding grpc.testing's test.proto and its imports, written by
// the Java test, so no code is generated here; CA_PEM and SERVER_NAME, for https: the CA to trust
// and the name to check the server's certificate against.

import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import { compressionGzip, createGrpcWebTransport } from "@connectrpc/connect-node";

const [baseUrl, httpVersion, descriptorSet, trustedCa, serverName] = process.argv.slice(2);
// For https: trust this CA, and check the certificate against this name, not the address.
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

const transport = createGrpcWebTransport({ baseUrl, httpVersion, nodeOptions });
// Compresses every request message, however small (connect's default starts at 1 KiB).
const gzipTransport = createGrpcWebTransport({
  baseUrl,
  httpVersion,
  nodeOptions,
  sendCompression: compressionGzip,
  compressMinBytes: 0,
});
const client = createClient(testService, transport);
const gzipClient = createClient(testService, gzipTransport);
const unimplemented = createClient(unimplementedService, transport);

const SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
const ECHO_HEADERS = {
  "x-grpc-test-echo-initial": "test_initial_metadata_value",
  "x-grpc-test-echo-trailing-bin": "q6ur", // 0xababab
};

/** Runs one call and describes how it went: messages (their payload sizes), status, metadata. */
async function record(name, call) {
  const result = { case: name, code: 0, message: "", sizes: [], headers: {}, trailers: {} };
  const options = {
    onHeader: (h) => (result.headers = Object.fromEntries(h.entries())),
    onTrailer: (t) => (result.trailers = Object.fromEntries(t.entries())),
  };
  try {
    await call(options, (response) => result.sizes.push(response.payload?.body?.length ?? 0));
  } catch (e) {
    const error = ConnectError.from(e);
    result.code = error.code;
    result.message = error.rawMessage;
  }
  console.log(JSON.stringify(result));
}

const unary = (c, method, request, extra = {}) => async (options, seen) =>
  seen(await c[method](request, { ...options, ...extra }));

const stream = (method, request, extra = {}) => async (options, seen) => {
  for await (const response of client[method](request, { ...options, ...extra })) {
    seen(response);
  }
};

/** A client stream that would never end if the server waited for it. */
async function* forever() {
  for (let i = 0; i < 1000; i++) {
    yield { payload: { body: new Uint8Array(10) } };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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
    "server_streaming",
    stream("streamingOutputCall", {
      responseParameters: [{ size: 31415 }, { size: 9 }, { size: 2653 }, { size: 58979 }],
    }),
  ],
  ["server_streaming_empty", stream("streamingOutputCall", {})],
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
  [
    "client_streaming",
    async (options) => await client.streamingInputCall(forever(), { ...options, timeoutMs: 5000 }),
  ],
  [
    "bidi_streaming",
    async (options) => {
      for await (const unused of client.fullDuplexCall(forever(), { ...options, timeoutMs: 5000 })) {
        // nothing is expected
      }
    },
  ],
];

for (const [name, call] of cases) {
  await record(name, call);
}

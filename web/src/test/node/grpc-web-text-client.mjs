// The official gRPC-Web client (grpc-web, the browser library) against a Strand server, in its
// default text mode (application/grpc-web-text: base64 both ways, decoded as it streams in), in
// Node over xhr2's XMLHttpRequest (HTTP/1.1). Prints one JSON line per case for
// GrpcWebTextClientTest, as grpc-web-client.mjs does.
//
//   node grpc-web-text-client.mjs BASE_URL DESCRIPTOR_SET
//
// Messages are (de)serialized by protobuf-es from the descriptor set the Java test wrote, so no
// code is generated here either.

import { readFileSync } from "node:fs";
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import grpcWeb from "grpc-web";
import XMLHttpRequest from "xhr2";

globalThis.XMLHttpRequest = XMLHttpRequest;

const [baseUrl, descriptorSet] = process.argv.slice(2);
const registry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)),
);
const service = registry.getService("grpc.testing.TestService");
const client = new grpcWeb.GrpcWebClientBase({ format: "text" });

/** A grpc-web method descriptor for one of the service's methods, by its name in the proto. */
function descriptor(name) {
  const method = service.methods.find((m) => m.name === name);
  return new grpcWeb.MethodDescriptor(
    `/${service.typeName}/${method.name}`,
    method.methodKind === "server_streaming"
      ? grpcWeb.MethodType.SERVER_STREAMING
      : grpcWeb.MethodType.UNARY,
    Object,
    Object,
    (request) => toBinary(method.input, create(method.input, request)),
    (bytes) => fromBinary(method.output, bytes),
  );
}

/** One call, as a stream of events; resolves with what it saw once it has ended. */
function call(name, request, metadata) {
  const method = descriptor(name);
  const url = baseUrl + method.getName();
  const result = { case: "", code: 0, message: "", sizes: [], headers: {}, trailers: {} };
  const seen = (response) => result.sizes.push(response.payload?.body?.length ?? 0);
  // A unary call's response goes to its callback; a stream's to its "data" listeners.
  const streaming = name === "StreamingOutputCall";
  const stream = streaming
    ? client.serverStreaming(url, request, metadata, method)
    : client.rpcCall(url, request, metadata, method, (error, response) => {
        if (response) {
          seen(response);
        }
      });
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve(result);
      }
    };
    stream.on("data", seen);
    stream.on("metadata", (headers) => (result.headers = headers));
    stream.on("status", (status) => {
      result.code = status.code;
      result.message = status.details;
      result.trailers = status.metadata ?? {};
      if (status.code !== 0) {
        finish();
      }
    });
    stream.on("error", (error) => {
      result.code = error.code;
      result.message = error.message;
      finish();
    });
    stream.on("end", finish);
  });
}

const ECHO = {
  "x-grpc-test-echo-initial": "test_initial_metadata_value",
  "x-grpc-test-echo-trailing-bin": "q6ur", // 0xababab
};

const cases = [
  ["large_unary", () => call("UnaryCall", { responseSize: 314159, payload: { body: new Uint8Array(271828) } }, {})],
  [
    "server_streaming",
    () =>
      call(
        "StreamingOutputCall",
        { responseParameters: [{ size: 31415 }, { size: 9 }, { size: 2653 }, { size: 58979 }] },
        {},
      ),
  ],
  ["custom_metadata", () => call("UnaryCall", { responseSize: 1 }, ECHO)],
  [
    "special_status_message",
    () =>
      call(
        "UnaryCall",
        { responseStatus: { code: 2, message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n" } },
        {},
      ),
  ],
  ["unimplemented_method", () => call("UnimplementedCall", {}, {})],
  [
    "timeout_on_sleeping_server",
    () =>
      call(
        "StreamingOutputCall",
        { responseParameters: [{ size: 1 }, { size: 1, intervalUs: 2_000_000 }] },
        // grpc-web takes the deadline as a Unix time in milliseconds and sends grpc-timeout.
        { deadline: String(Date.now() + 500) },
      ),
  ],
];

for (const [name, run] of cases) {
  const result = await run();
  result.case = name;
  console.log(JSON.stringify(result));
}

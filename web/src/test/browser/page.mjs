// The test page's script, bundled by esbuild (run.mjs) and run in Chromium on an origin other than
// the Strand server's, so every call is cross-origin and the browser sends CORS preflights.
// window.runCases(serverUrl, transports) runs the cases over each transport and resolves with one
// result per case: { transport, case, code, message, sizes, headers, trailers }.
//
// Transports: "grpc-web" (connect-web, binary application/grpc-web+proto, over fetch),
// "grpc-web-text" (Google's grpc-web runtime, application/grpc-web-text, over XMLHttpRequest),
// and "connect-json" / "connect-binary" (connect-web's Connect transport) once the server speaks
// Connect. Messages are (de)serialized by protobuf-es from a descriptor set served with the page,
// so no code is generated.

import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import grpcWeb from "grpc-web";

const SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
const ECHO_HEADERS = {
  "x-grpc-test-echo-initial": "test_initial_metadata_value",
  "x-grpc-test-echo-trailing-bin": "q6ur", // 0xababab
};

/** The cases, each a request to one method; the same for every transport. */
const CASES = [
  { name: "unary", method: "UnaryCall", request: { responseSize: 10 } },
  {
    // Over 256 KiB each way.
    name: "large_unary",
    method: "UnaryCall",
    request: { responseSize: 314159, payload: { body: new Uint8Array(271828).fill(7) } },
  },
  {
    name: "server_streaming",
    method: "StreamingOutputCall",
    request: {
      responseParameters: [{ size: 31415 }, { size: 9 }, { size: 2653 }, { size: 58979 }],
    },
  },
  {
    name: "custom_metadata",
    method: "UnaryCall",
    request: { responseSize: 1 },
    headers: ECHO_HEADERS,
  },
  {
    name: "custom_metadata_streaming",
    method: "StreamingOutputCall",
    request: { responseParameters: [{ size: 2 }] },
    headers: ECHO_HEADERS,
  },
  {
    name: "special_status_message",
    method: "UnaryCall",
    request: { responseStatus: { code: 2, message: SPECIAL_MESSAGE } },
  },
  {
    name: "status_in_stream",
    method: "StreamingOutputCall",
    request: {
      responseParameters: [{ size: 3 }],
      responseStatus: { code: 9, message: "précondition échouée" },
    },
  },
  { name: "unimplemented_method", method: "UnimplementedCall", request: {} },
  {
    name: "timeout_on_sleeping_server",
    method: "StreamingOutputCall",
    request: { responseParameters: [{ size: 1 }, { size: 1, intervalUs: 2_000_000 }] },
    timeoutMs: 500,
  },
];

async function loadService() {
  const bytes = new Uint8Array(await (await fetch("test-proto.binpb")).arrayBuffer());
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  return registry.getService("grpc.testing.TestService");
}

function newResult(transport, name) {
  return { transport, case: name, code: 0, message: "", sizes: [], headers: {}, trailers: {} };
}

const sizeOf = (response) => response.payload?.body?.length ?? 0;

/** A case through connect-web: its gRPC-Web transport, or its Connect transport. */
async function connectCase(client, transport, c) {
  const result = newResult(transport, c.name);
  const options = {
    headers: c.headers ?? {},
    timeoutMs: c.timeoutMs,
    onHeader: (h) => (result.headers = Object.fromEntries(h.entries())),
    onTrailer: (t) => (result.trailers = Object.fromEntries(t.entries())),
  };
  const method = c.method[0].toLowerCase() + c.method.slice(1);
  try {
    if (c.method === "StreamingOutputCall") {
      for await (const response of client[method](c.request, options)) {
        result.sizes.push(sizeOf(response));
      }
    } else {
      result.sizes.push(sizeOf(await client[method](c.request, options)));
    }
  } catch (e) {
    const error = ConnectError.from(e);
    result.code = error.code;
    result.message = error.rawMessage;
  }
  return result;
}

/** A case through Google's grpc-web runtime in text mode, glue written by hand (no codegen). */
function grpcWebTextCase(client, service, serverUrl, c) {
  const result = newResult("grpc-web-text", c.name);
  const desc = service.methods.find((m) => m.name === c.method);
  const streaming = desc.methodKind === "server_streaming";
  const method = new grpcWeb.MethodDescriptor(
    `/${service.typeName}/${desc.name}`,
    streaming ? grpcWeb.MethodType.SERVER_STREAMING : grpcWeb.MethodType.UNARY,
    Object,
    Object,
    (request) => toBinary(desc.input, create(desc.input, request)),
    (bytes) => fromBinary(desc.output, bytes),
  );
  const metadata = { ...(c.headers ?? {}) };
  if (c.timeoutMs) {
    // grpc-web takes the deadline as a Unix time in milliseconds, and sends grpc-timeout.
    metadata.deadline = String(Date.now() + c.timeoutMs);
  }
  const url = serverUrl + method.getName();
  const seen = (response) => result.sizes.push(sizeOf(response));
  const call = streaming
    ? client.serverStreaming(url, c.request, metadata, method)
    : client.rpcCall(url, c.request, metadata, method, (error, response) => {
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
    if (streaming) {
      call.on("data", seen);
    }
    call.on("metadata", (headers) => (result.headers = { ...headers }));
    call.on("status", (status) => {
      result.code = status.code;
      result.message = status.details;
      result.trailers = { ...(status.metadata ?? {}) };
      if (status.code !== 0) {
        finish();
      }
    });
    call.on("error", (error) => {
      result.code = error.code;
      result.message = error.message;
      finish();
    });
    call.on("end", finish);
  });
}

window.runCases = async (serverUrl, transports) => {
  const service = await loadService();
  const results = [];
  for (const transport of transports) {
    if (transport === "grpc-web-text") {
      const client = new grpcWeb.GrpcWebClientBase({ format: "text" });
      for (const c of CASES) {
        results.push(await grpcWebTextCase(client, service, serverUrl, c));
      }
      continue;
    }
    const make = {
      "grpc-web": () => createGrpcWebTransport({ baseUrl: serverUrl, useBinaryFormat: true }),
      "connect-json": () => createConnectTransport({ baseUrl: serverUrl, useBinaryFormat: false }),
      "connect-binary": () => createConnectTransport({ baseUrl: serverUrl, useBinaryFormat: true }),
    }[transport];
    if (!make) {
      throw new Error("unknown transport " + transport);
    }
    const client = createClient(service, make());
    for (const c of CASES) {
      results.push(await connectCase(client, transport, c));
    }
  }
  return results;
};

// A real Connect / gRPC-Web server for Strand's web-protocol channel to call: connect-node's own
// server (connectNodeAdapter on Node's http module, so HTTP/1.1) serving the part of
// grpc.testing.TestService the channel's tests use, with the interop rules for echoed metadata
// and requested statuses. It prints "listening PORT" once it listens, and runs until killed.
//
//   node connect-test-server.mjs DESCRIPTOR_SET

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { create, createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";

const [descriptorSet] = process.argv.slice(2);
const registry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)),
);
const testService = registry.getService("grpc.testing.TestService");
const simpleResponse = registry.getMessage("grpc.testing.SimpleResponse");
const streamingResponse = registry.getMessage("grpc.testing.StreamingOutputCallResponse");
const empty = registry.getMessage("grpc.testing.Empty");

const ECHO_INITIAL = "x-grpc-test-echo-initial";
const ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

function echoMetadata(context) {
  const initial = context.requestHeader.get(ECHO_INITIAL);
  if (initial !== null) context.responseHeader.set(ECHO_INITIAL, initial);
  const trailing = context.requestHeader.get(ECHO_TRAILING);
  if (trailing !== null) context.responseTrailer.set(ECHO_TRAILING, trailing);
}

function failIfAsked(request) {
  const status = request.responseStatus;
  if (status && status.code !== 0) throw new ConnectError(status.message, status.code);
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new ConnectError("cancelled", Code.Canceled));
    });
  });

const payload = (size) => ({ body: new Uint8Array(size) });

const handler = connectNodeAdapter({
  routes(router) {
    router.service(testService, {
      emptyCall(request, context) {
        echoMetadata(context);
        return create(empty);
      },
      unaryCall(request, context) {
        echoMetadata(context);
        failIfAsked(request);
        return create(simpleResponse, { payload: payload(request.responseSize) });
      },
      async *streamingOutputCall(request, context) {
        echoMetadata(context);
        for (const parameters of request.responseParameters) {
          if (parameters.intervalUs > 0) await sleep(parameters.intervalUs / 1000, context.signal);
          yield create(streamingResponse, { payload: payload(parameters.size) });
        }
        failIfAsked(request);
      },
    });
  },
});

const server = createServer(handler);
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));

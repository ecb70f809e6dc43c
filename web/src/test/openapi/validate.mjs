// Validates an OpenAPI document against the OpenAPI 3.1 schema and its own references, with
// swagger-parser; prints {"valid":true,...} or {"valid":false,"error":"..."} as one JSON line.
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  console.log(JSON.stringify({ valid: true, openapi: api.openapi, paths: Object.keys(api.paths).length }));
} catch (e) {
  console.log(JSON.stringify({ valid: false, error: String(e.message ?? e) }));
}

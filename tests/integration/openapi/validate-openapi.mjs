// Validates an OpenAPI 3.0 document against the OpenAPI schema and its semantic rules
// (unique operationIds, resolvable $refs, path parameters declared, ...), using
// @apidevtools/swagger-parser.
//
//   node validate-openapi.mjs http://127.0.0.1:8080/api
//
// Exit status: 0 valid, 1 invalid (the reason on stderr), 2 could not fetch or parse.
import SwaggerParser from "@apidevtools/swagger-parser";

const url = process.argv[2];
if (!url) {
  console.error("usage: node validate-openapi.mjs URL");
  process.exit(2);
}

let doc;
try {
  const response = await fetch(url, { headers: { Accept: "application/vnd.oai.openapi+json;version=3.0" } });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  doc = await response.json();
} catch (e) {
  console.error(`cannot fetch ${url}: ${e.message}`);
  process.exit(2);
}

try {
  // validate() dereferences in place; hand it a copy so the summary below sees the original.
  const api = await SwaggerParser.validate(structuredClone(doc));
  const paths = Object.keys(api.paths ?? {});
  console.log(JSON.stringify({ valid: true, openapi: api.openapi, title: api.info?.title, paths: paths.length }));
} catch (e) {
  console.error(`invalid OpenAPI document at ${url}: ${e.message}`);
  process.exit(1);
}

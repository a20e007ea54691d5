// Validates request bodies against Discord's published OpenAPI description (the npm package
// `discord-api-spec`, generated from discord/discord-api-spec, as zod schemas).
//
// One JSON request per stdin line: {"schemas": [["MessageCreateRequest", false], ...], "body": ...}
// (each candidate is a type name and whether the body is an array of it; a body passes when it
// matches any candidate). One JSON answer per stdout line: {"ok": true} or
// {"ok": false, "issues": [{"path": [...], "code": "...", "message": "..."}]} (the issues of
// the candidate that came closest).
import * as readline from "node:readline";
import * as z from "zod/mini";
import * as spec from "discord-api-spec/zod";

function at(body, path) {
  let node = body;
  for (const key of path) node = node === null || node === undefined ? undefined : node[key];
  return node;
}

function check(name, isArray, body) {
  const schema = spec[`${name}Schema`];
  if (schema === undefined) {
    return [{ path: [], code: "unknown_schema", message: `no schema named ${name}` }];
  }
  const result = z.safeParse(isArray ? z.nullable(z.array(schema)) : schema, body);
  return result.success ? [] : result.error.issues;
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let answer;
  try {
    const { schemas, body } = JSON.parse(line);
    let best = null;
    for (const [name, isArray] of schemas) {
      const issues = check(name, isArray, body);
      if (issues.length === 0) {
        best = [];
        break;
      }
      if (best === null || issues.length < best.length) best = issues;
    }
    answer = best.length === 0
      ? { ok: true }
      : {
          ok: false,
          issues: best.map((i) => ({
            path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
            code: i.code,
            message: i.message,
            ...(i.maximum !== undefined ? { maximum: Number(i.maximum) } : {}),
            ...(i.minimum !== undefined ? { minimum: Number(i.minimum) } : {}),
            ...(i.code === "invalid_type" && at(body, i.path) === undefined
              ? { missing: true }
              : {}),
          })),
        };
  } catch (error) {
    answer = { ok: false, issues: [{ path: [], code: "validator_error", message: String(error) }] };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});

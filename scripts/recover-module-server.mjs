// Serves module archives so that fixture plans can hold remote modules without the network: GET
// /<name>.tar.gz answers with DIR/<name>.tar.gz, which Terraform's module installer unpacks like any
// HTTP module source. Used by scripts/regen-recover-fixtures.sh.
// Usage: node recover-module-server.mjs PORT DIR   (prints "listening PORT" once it accepts connections)
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { listenOnLoopback } from "./fixtures/listen.mjs";
import { basename, join } from "node:path";

const port = Number(process.argv[2] ?? "0");
const dir = process.argv[3];
if (dir === undefined) {
  process.stderr.write("usage: recover-module-server.mjs PORT DIR\n");
  process.exit(2);
}

const server = createServer((request, response) => {
  request.resume();
  const name = basename(new URL(request.url ?? "/", "http://localhost").pathname);
  const file = join(dir, name);
  if (!name.endsWith(".tar.gz") || !existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  const body = readFileSync(file);
  response.writeHead(200, { "Content-Type": "application/gzip", "Content-Length": body.length });
  response.end(request.method === "HEAD" ? undefined : body);
});

listenOnLoopback(server, port, "recover-module-server");

// Parses each file named on the command line with Mermaid's own parser (the one GitHub's
// renderer runs) and prints `ok FILE` or `error FILE: message`; exits 1 when any fails.
// Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom provides one.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    if (result.diagramType !== "flowchart-v2") {
      throw new Error(`parsed as ${result.diagramType}, not a flowchart`);
    }
    console.log(`ok ${file}`);
  } catch (e) {
    failed = true;
    console.log(`error ${file}: ${String(e.message).split("\n").join(" ")}`);
  }
}
process.exit(failed ? 1 : 0);

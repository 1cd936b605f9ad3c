// Renders TeX with the pinned KaTeX (node_modules/katex) for scripts/guidelib/katex.py.
// Reads one JSON request per line on stdin: {"tex": "...", "display": true|false}; writes one JSON
// answer per line on stdout: {"html": "..."} or {"error": "KaTeX's message"}. Options match
// docs/javascripts/render.js, the browser fallback: HTML plus MathML, errors reported, not drawn red.
"use strict";
const path = require("path");
const readline = require("readline");
const katex = require(path.resolve(process.argv[2] || "node_modules", "katex"));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let answer;
  try {
    const { tex, display } = JSON.parse(line);
    answer = { html: katex.renderToString(tex, { displayMode: !!display, throwOnError: true, output: "htmlAndMathml" }) };
  } catch (error) {
    answer = { error: String((error && error.message) || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});

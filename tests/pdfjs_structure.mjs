// What pdf.js (as Firefox's PDF viewer uses it) makes of a tagged PDF's structure.
// Usage: node pdfjs_structure.mjs PDFJS_DIST_DIR FILE.pdf...  Prints one JSON object per file:
// {file, pages: [{tables: [{headers, cells}], inTree, outside, artifact}]}, where inTree, outside
// and artifact count the characters of text in marked content the structure tree reaches, in
// no structure node, and in Artifacts. Used by tests/test_accessibility.py.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFile } from "node:fs/promises";

const [dist, ...files] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(path.join(dist, "legacy/build/pdf.mjs")).href);

function walk(node, visit, ancestors = []) {
  if (!node) return;
  visit(node, ancestors);
  for (const child of node.children || []) walk(child, visit, [...ancestors, node]);
}

for (const file of files) {
  const data = new Uint8Array(await readFile(file));
  const doc = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const tree = await page.getStructTree();
    const reached = new Set();
    const tables = [];
    walk(tree, (node) => {
      if (node.type === "content" && node.id) reached.add(node.id);
      if (node.role === "Table") {
        const table = { headers: 0, cells: 0 };
        walk(node, (cell) => {
          if (cell.role === "TH") table.headers++;
          if (cell.role === "TD") table.cells++;
        });
        tables.push(table);
      }
    });
    const text = await page.getTextContent({ includeMarkedContent: true });
    const stack = [];
    let inTree = 0, outside = 0, artifact = 0;
    for (const item of text.items) {
      if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") {
        stack.push(item);
      } else if (item.type === "endMarkedContent") {
        stack.pop();
      } else if (item.str && item.str.trim()) {
        const chars = item.str.trim().length;
        if (stack.some((m) => m.tag === "Artifact")) artifact += chars;
        else if (stack.some((m) => m.id && reached.has(m.id))) inTree += chars;
        else outside += chars;
      }
    }
    pages.push({ tables, inTree, outside, artifact });
    page.cleanup();
  }
  console.log(JSON.stringify({ file, pages }));
  await doc.destroy();
}

// Joins the split's shared chunks into fewer files. Called by scripts/split-wasm.sh on
// wasm-split-cli's output, before wasm-bindgen and wasm-opt.
//
// wasm-split-cli writes one chunk for every set of parts that share some code: with seven
// parts that is about ninety files, many of a few hundred bytes. Each file is compressed on
// its own, so a page that fetches forty of them loses what they have in common (about a
// sixth of its bytes here). This joins the chunks that the same main parts need: two chunks
// are joined when each of the main parts (the entries and the pages most opened) needs
// either both or neither, so none of them fetches code it does not run. The other parts
// may fetch a little more than they need, at most once. Chunks only the other parts need
// are joined when exactly the same parts need them.
//
// Chunks import the main module's memory, table and stack pointer, and reach one another
// only through the table, so joining them is binaryen's wasm-merge with those imports
// shared: a module without code (the hub) imports them once and exports them again, and every
// chunk of the group imports them from it. The loader (__wasm_split.js) then fetches the joined file for every chunk of
// the group.
//
// Usage: node scripts/merge-chunks.mjs <split folder> <wasm-merge> <main part>...

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";

const [dir, wasmMerge, ...mainParts] = process.argv.slice(2);
if (!dir || !wasmMerge || mainParts.length === 0) {
    console.error("usage: merge-chunks.mjs <split folder> <wasm-merge> <main part>...");
    process.exit(2);
}
const fail = (why) => {
    console.error(`merge-chunks: ${why}`);
    process.exit(1);
};

// --- The loader: which parts need each chunk ------------------------------------------
const loaderPath = join(dir, "__wasm_split.js");
let loader = readFileSync(loaderPath, "utf8");
const chunkRe = /\/\* ([a-z0-9_, ]+) \*\/\nconst __chunk_(\d+) = makeLoad\(\(\) => \{\n[^\n]*"\.\/chunk_\2\.wasm"[^\n]*\n[^\n]*\n\}\n, \[\]\);\n/g;
const chunks = [];
for (const m of loader.matchAll(chunkRe)) {
    chunks.push({ n: Number(m[2]), parts: m[1].split(",").map((p) => p.trim()), text: m[0] });
}
const declared = (loader.match(/const __chunk_\d+ = /g) || []).length;
if (chunks.length !== declared) fail(`read ${chunks.length} of the loader's ${declared} chunks: its form has changed`);
// A joined chunk is named after the group's first, which the loader must declare before
// the others that stand for it.
if (chunks.some((c, i) => i > 0 && chunks[i - 1].n >= c.n)) fail("the loader does not declare its chunks in order");

// --- Groups ----------------------------------------------------------------------------
const groups = new Map();
for (const chunk of chunks) {
    const main = mainParts.filter((p) => chunk.parts.includes(p));
    const key = main.length > 0 ? `main:${main.join(",")}` : `only:${chunk.parts.join(",")}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(chunk);
}

// --- Wasm sections -----------------------------------------------------------------------
function leb(bytes, at) {
    let value = 0;
    let shift = 0;
    for (;;) {
        if (at >= bytes.length || shift > 35) fail("a chunk ends in the middle of a number");
        const byte = bytes[at++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte < 0x80) return [value, at];
    }
}
function uleb(value) {
    const out = [];
    do {
        let byte = value % 128;
        value = Math.floor(value / 128);
        if (value > 0) byte |= 0x80;
        out.push(byte);
    } while (value > 0);
    return out;
}
function str(text) {
    const bytes = Buffer.from(text, "utf8");
    return [...uleb(bytes.length), ...bytes];
}
function sections(bytes) {
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d || bytes.readUInt32LE(4) !== 1) {
        fail("a chunk is not a WebAssembly module");
    }
    const list = [];
    let at = 8;
    while (at < bytes.length) {
        const id = bytes[at];
        const [size, start] = leb(bytes, at + 1);
        if (start + size > bytes.length) fail("a chunk's section runs past its end");
        list.push({ id, body: bytes.subarray(start, start + size) });
        at = start + size;
    }
    return list;
}
function assemble(list) {
    const parts = [Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])];
    for (const { id, body } of list) parts.push(Buffer.from([id, ...uleb(body.length)]), Buffer.from(body));
    return Buffer.concat(parts);
}
// The imports a chunk has: each [module, name, kind], with the rest of the entry.
function imports(body) {
    const [count, first] = leb(body, 0);
    let at = first;
    const list = [];
    for (let i = 0; i < count; i++) {
        const [mlen, m0] = leb(body, at);
        const module = body.subarray(m0, m0 + mlen).toString("utf8");
        const [nlen, n0] = leb(body, m0 + mlen);
        const name = body.subarray(n0, n0 + nlen).toString("utf8");
        let end = n0 + nlen;
        const kind = body[end++];
        if (kind === 0) [, end] = leb(body, end);
        else if (kind === 1) {
            end++;
            let flags;
            [flags, end] = leb(body, end);
            [, end] = leb(body, end);
            if (flags & 1) [, end] = leb(body, end);
        } else if (kind === 2) {
            let flags;
            [flags, end] = leb(body, end);
            [, end] = leb(body, end);
            if (flags & 1) [, end] = leb(body, end);
        } else if (kind === 3) end += 2;
        else fail(`unknown import kind ${kind}`);
        list.push({ module, name, kind, rest: body.subarray(n0 + nlen, end) });
        at = end;
    }
    return list;
}
const SHARED = "__wasm_split";
const HUB = "__wasm_split_hub";
// A module with no code that imports what the group's chunks import and exports it again:
// wasm-merge joins each chunk's imports to it, so the joined file imports each thing once.
function hub(chunkImports) {
    const wanted = new Map();
    for (const { module, name, kind, rest } of chunkImports.flat()) {
        if (module !== SHARED || kind === 0) fail(`a chunk imports ${module}.${name}: only shared memory, table and globals are expected`);
        const known = wanted.get(name);
        if (known && (known.kind !== kind || Buffer.compare(known.rest, rest) !== 0)) {
            fail(`two chunks import ${name} differently`);
        }
        wanted.set(name, { kind, rest });
    }
    const counters = [0, 0, 0, 0];
    const importEntries = [];
    const exportEntries = [];
    for (const [name, { kind, rest }] of wanted) {
        importEntries.push([...str(SHARED), ...str(name), ...rest]);
        exportEntries.push([...str(name), kind, ...uleb(counters[kind]++)]);
    }
    return assemble([
        { id: 2, body: Buffer.from([...uleb(importEntries.length), ...importEntries.flat()]) },
        { id: 7, body: Buffer.from([...uleb(exportEntries.length), ...exportEntries.flat()]) },
    ]);
}
// A chunk that imports the shared things from the hub instead.
function importingFromHub(bytes) {
    const list = sections(bytes);
    const at = list.findIndex((s) => s.id === 2);
    if (at < 0) fail("a chunk imports nothing: it cannot share the app's memory");
    const entries = imports(list[at].body).map(({ name, rest }) => [...str(HUB), ...str(name), ...rest]);
    list[at] = { id: 2, body: Buffer.from([...uleb(entries.length), ...entries.flat()]) };
    return assemble(list);
}
function importsOf(bytes) {
    const section = sections(bytes).find((s) => s.id === 2);
    return section ? imports(section.body) : [];
}
// The merged file, without the exports that joined its pieces.
function withoutExports(bytes) {
    const list = sections(bytes).filter((s) => s.id !== 7);
    for (const s of list) {
        if (s.id === 2 && imports(s.body).some((i) => i.module !== SHARED)) fail("the joined chunk still imports from a piece");
    }
    return assemble(list);
}

// --- Join ---------------------------------------------------------------------------------
const features = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];
let joined = 0;
for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.n - b.n);
    const [first, ...rest] = group;
    const file = (c) => join(dir, `chunk_${c.n}.wasm`);
    const firstName = `chunk_${first.n}`;
    const pieces = group.map((c) => readFileSync(file(c)));
    const hubFile = join(dir, `${firstName}.hub.wasm`);
    writeFileSync(hubFile, hub(pieces.map(importsOf)));
    const args = [hubFile, HUB];
    group.forEach((c, i) => {
        writeFileSync(file(c), importingFromHub(pieces[i]));
        args.push(file(c), `chunk_${c.n}`);
    });
    const out = join(dir, `${firstName}.joined.wasm`);
    try {
        execFileSync(wasmMerge, [...args, ...features, "-o", out], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
        fail(`wasm-merge failed on ${firstName} and ${rest.length} more: ${e.stderr}`);
    }
    writeFileSync(file(first), withoutExports(readFileSync(out)));
    unlinkSync(out);
    unlinkSync(hubFile);
    // The loader: the first chunk names every part the group serves; the others are it.
    const parts = [...new Set(group.flatMap((c) => c.parts))].sort();
    const named = first.text.replace(/^\/\* [^*]* \*\//, () => `/* ${parts.join(", ")} */`);
    loader = loader.replace(first.text, () => named);
    for (const c of rest) {
        unlinkSync(file(c));
        loader = loader.replace(c.text, () => `/* joined into chunk_${first.n} */\nconst __chunk_${c.n} = __chunk_${first.n};\n`);
        joined++;
    }
}
writeFileSync(loaderPath, loader);
console.log(`merge-chunks: ${chunks.length} chunks joined into ${chunks.length - joined}`);

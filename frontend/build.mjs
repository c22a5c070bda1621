// Bundles the workbench into the package's static files (generated, never committed), with
// the Natural Earth outlines the map draws and the bundled packages' licence notices.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "munikg", "serve", "static", "vendor");
mkdirSync(out, { recursive: true });
const result = await build({
  metafile: true,
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "external",
  outfile: join(out, "workbench.js"),
  logLevel: "warning",
});
copyFileSync(join(here, "node_modules", "world-atlas", "countries-50m.json"), join(out, "countries-50m.json"));
copyFileSync(join(here, "node_modules", "world-atlas", "LICENSE"), join(out, "world-atlas.LICENSE"));
// Each bundled package's name, version and licence, from its own package.json.
const packages = new Set(
  Object.keys(result.metafile.inputs)
    .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
    .filter(Boolean),
);
const notices = [...packages].sort().map((name) => {
  const meta = JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));
  return `${name} ${meta.version}: ${meta.license}`;
});
writeFileSync(join(out, "LICENSES.txt"), ["Bundled into workbench.js:", ...notices, "", "countries-50m.json: world-atlas (ISC), from Natural Earth (public domain)", ""].join("\n"));
console.log(`workbench bundled into ${out}`);

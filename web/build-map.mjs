// Compiles the country outlines that `dossier serve` embeds: Natural Earth 1:110m countries from
// the npm package `world-atlas` (public domain), through `topojson-client`, into one line per
// country: `name TAB minx,miny,maxx,maxy TAB svg-path`, in degrees (x = lon + 180, y = 90 − lat),
// one decimal. Deterministic: the same packages give the same bytes.
//
//   cd web && npm ci && npm run build     # writes ../crates/serve/assets/world-110m.tsv
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"));
const countries = feature(topo, topo.objects.countries).features;

const r = (v) => Math.round(v * 10) / 10;
const lines = [];
for (const c of countries) {
  const name = String(c.properties?.name ?? c.id ?? "").replace(/[\t\n]/g, " ");
  const g = c.geometry;
  if (!g) continue;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  let d = "";
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys) {
    for (const ring of poly) {
      let prev = null;
      let part = "";
      let n = 0;
      for (const [lon, lat] of ring) {
        const x = r(lon + 180), y = r(90 - lat);
        const p = `${x} ${y}`;
        if (p === prev) continue;
        prev = p;
        part += (n === 0 ? "M" : "L") + p;
        n++;
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
      if (n >= 3) d += part + "Z";
    }
  }
  if (d) lines.push(`${name}\t${x0},${y0},${x1},${y1}\t${d}`);
}
lines.sort();
const out = new URL("../crates/serve/assets/world-110m.tsv", import.meta.url);
writeFileSync(out, lines.join("\n") + "\n");
console.log(`${lines.length} countries → ${out.pathname}`);

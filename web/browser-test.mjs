// Browser tests of `dossier serve`: headless Chromium (Debian's, /usr/bin/chromium) driven by
// playwright-core, against a server on loopback over a small archive built here (the examples,
// a three-report story and hostile reports we wrote, one of them posted through the
// token-protected ingest). Every view is opened and checked for its data; screenshots go to
// target/screenshots/ (checked non-empty); the XSS suite asserts that no script of a report ran.
//
//   cd web && npm ci && node browser-test.mjs      (DOSSIER_BIN: the binary, default target/debug/dossier)
//
// Without Chromium it skips with a message, except under CI (env CI set), where it fails.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const msg = `browser tests: no Chromium at ${chromium} (apt-get install chromium)`;
  if (process.env.CI) { console.error(`FAIL: ${msg}`); process.exit(1); }
  console.log(`SKIP: ${msg}`);
  process.exit(0);
}
const { chromium: pw } = await import("playwright-core");
const bin = resolve(root, process.env.DOSSIER_BIN || "target/debug/dossier");
if (!existsSync(bin)) { console.error(`FAIL: no binary ${bin} (cargo build first)`); process.exit(1); }
const shots = join(root, "target", "screenshots");
mkdirSync(shots, { recursive: true });

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

// The archive.
const store = mkdtempSync(join(tmpdir(), "dossier-browser-"));
execFileSync(bin, ["ingest", join(root, "examples"), join(root, "tests/data/serve"), "--store", store], {
  stdio: ["ignore", "ignore", "inherit"],
});

// The server, on a free loopback port, with ingest on (a token).
const token = "browser-test-token";
const server = spawn(bin, ["serve", "--store", store, "--bind", "127.0.0.1:0", "--token", token], {
  stdio: ["ignore", "ignore", "pipe"],
});
const base = await new Promise((ok, fail) => {
  let err = "";
  const t = setTimeout(() => fail(new Error(`server did not start: ${err}`)), 30000);
  server.stderr.on("data", (d) => {
    err += d;
    const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(err);
    if (m) { clearTimeout(t); ok(m[1]); }
  });
  server.on("exit", (c) => fail(new Error(`server exited ${c}: ${err}`)));
});
console.log(`server at ${base}`);

const browser = await pw.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // playwright starts Chromium with a fresh, empty profile directory of its own.
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  page.dialogs = 0;
  page.on("dialog", async (d) => { page.dialogs++; await d.dismiss(); });
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  // Nothing outside the server is fetched: no CDN, no network.
  page.outside = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith("data:")) return route.continue();
    page.outside.push(u);
    return route.abort();
  });
  return page;
}

async function shot(page, name) {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  const size = statSync(file).size;
  check(size > 10000, `screenshot ${name}.png is not empty (${size} bytes)`);
  if (process.env.UPDATE_SCREENSHOTS && !/^(home|xss)/.test(name)) {
    mkdirSync(join(root, "docs/screenshots"), { recursive: true });
    copyFileSync(file, join(root, "docs/screenshots", `${name}.png`));
  }
}

async function noScriptRan(page, where) {
  const flag = await page.evaluate(() => window.__xss);
  check(flag === undefined && page.dialogs === 0, `${where}: no script of a report ran`);
  const bad = await page.evaluate(() => {
    const scripts = [...document.querySelectorAll("script")].filter((s) => !s.src.endsWith("/assets/app.js"));
    const handlers = [...document.querySelectorAll("*")].filter((el) =>
      [...el.attributes].some((a) => a.name.startsWith("on")));
    const jsLinks = [...document.querySelectorAll("a[href],iframe[src]")].filter((el) =>
      /^\s*javascript:/i.test(el.getAttribute("href") || el.getAttribute("src") || ""));
    return { scripts: scripts.length, handlers: handlers.length, jsLinks: jsLinks.length,
      iframes: document.querySelectorAll("iframe,img,object,embed").length };
  });
  check(bad.scripts === 0 && bad.handlers === 0 && bad.jsLinks === 0 && bad.iframes === 0,
    `${where}: no injected script, handler, javascript: link or embedded element (${JSON.stringify(bad)})`);
}

try {
  // Ingest over HTTP: refused without the token, filed with it.
  const body = readFileSync(join(root, "tests/data/serve-post/hostile-post.txt"));
  let r = await fetch(`${base}/api/ingest?name=hostile-post.txt`, { method: "POST", body });
  check(r.status === 401, `ingest without the token is refused (${r.status})`);
  r = await fetch(`${base}/api/ingest?name=hostile-post.txt`, {
    method: "POST", body, headers: { authorization: `Bearer ${token}` } });
  const posted = await r.json();
  check(r.status === 200 && posted.outcomes?.[0]?.status === "new", `ingest with the token files the page (${JSON.stringify(posted.outcomes)})`);

  // Search (with JavaScript).
  const page = await newPage();
  await page.goto(`${base}/`);
  await shot(page, "home");
  await page.fill("form.search input[name=q]", "Hafenbrücke");
  await Promise.all([page.waitForNavigation(), page.click("form.search button[type=submit]")]);
  const hits = await page.locator("li.hit").count();
  check(hits >= 3, `search finds the story's reports (${hits} hits)`);
  check(await page.locator("p.snippet mark").count() > 0, "snippets are highlighted");
  check(await page.locator(".facets a.facet").count() > 0, "facets are listed");
  await shot(page, "search");
  // A facet narrows the search.
  await Promise.all([page.waitForNavigation(), page.locator(".facets h3:has-text('Outlets') + ul a.facet").first().click()]);
  const narrowed = await page.locator("li.hit").count();
  check(narrowed >= 1 && narrowed < hits, `an outlet facet narrows the hits (${narrowed})`);

  // The article: marks of every kind, a click explains one.
  await page.goto(`${base}/?q=Hafenbr%C3%BCcke`);
  await Promise.all([page.waitForNavigation(), page.locator("li.hit a.title", { hasText: "Sperrung dauert an" }).click()]);
  const counts = {};
  for (const k of ["ent", "time", "quote", "claim"]) counts[k] = await page.locator(`.text .mk-${k}`).count();
  check(Object.values(counts).every((n) => n > 0), `the article marks entities, times, quotations and claims (${JSON.stringify(counts)})`);
  const chain = await page.locator(".details .chain").allTextContents();
  check(chain.some((c) => /according to .*, citing /.test(c)), `a claim's chain reads "according to X, citing Y" (${chain.join(" | ")})`);
  await page.locator(".text a.mk-ent", { hasText: "Krüger" }).first().click();
  const pop = page.locator("#popover");
  check(await pop.isVisible(), "a click on an entity shows what it is");
  const popText = await pop.textContent();
  check(/Sabine Krüger/.test(popText) && /report/.test(popText), `the popover names the entity and its reports (${popText.slice(0, 120)})`);
  await shot(page, "article");
  const timeTitle = await page.locator(".text .mk-time").first().getAttribute("title");
  check(/\d{4}-\d{2}-\d{2}/.test(timeTitle || ""), `a time mark gives its calendar date (${timeTitle})`);
  await noScriptRan(page, "article");

  // The entity.
  await page.goto(`${base}/entity?name=Sabine%20Kr%C3%BCger`);
  check(await page.locator("svg.chart rect.bar").count() > 0, "the entity's mentions over time are charted");
  check(await page.locator("ul.quotes li").count() > 0, "the entity's quotations are listed");
  check(await page.locator("svg.map g.pt").count() > 0, "the entity's map has points");
  await shot(page, "entity");

  // The story: timeline, copies, claims, map, graph.
  const storyHref = await page.locator("ul a[href^='/story/']").first().getAttribute("href");
  await page.goto(`${base}${storyHref}`);
  check(await page.locator("svg.timeline circle.tl-report").count() >= 3, "the story's timeline shows its reports");
  check(await page.locator("ul.copies li").count() >= 1, "the story says who repeats whom");
  check(await page.locator("ul.claims > li").count() >= 1, "the story lists its claims with their sources");
  check(await page.locator("svg.graph g.node").count() >= 3, "the graph of sources has nodes");
  await shot(page, "story");
  const storyId = storyHref.split("/").pop();
  await page.goto(`${base}/map?story=${storyId}`);
  const pts = await page.locator("svg.map g.pt").count();
  check(pts >= 2, `the story's map shows its places (${pts} points)`);
  const counted = await page.locator("svg.map g.pt").first().getAttribute("data-count");
  check(Number(counted) >= 1, `a point carries its count (${counted})`);
  check(await page.locator("svg.map path.land").count() > 5, "the map draws the country shapes");
  await shot(page, "map");
  await page.goto(`${base}/graph?story=${storyId}`);
  check(await page.locator("ul.edges li").count() >= 2, "the graph page lists who cites whom");
  await shot(page, "graph");
  await page.goto(`${base}/map?q=Sturm`);
  check(await page.locator("svg.map g.pt").count() >= 1, "a search's map shows its places");
  check(page.errors.length === 0, `no script error on the pages (${page.errors.join("; ")})`);
  check(page.outside.length === 0, `nothing requested outside the server (${page.outside.join(", ")})`);

  // The XSS suite: every hostile report, in every view it appears in.
  const xss = await newPage();
  for (const q of ["Angriff", "Ministerin", "Polizeisprecher", "Bremen"]) {
    await xss.goto(`${base}/?q=${encodeURIComponent(q)}`);
    await noScriptRan(xss, `search ${q}`);
    const links = await xss.locator("li.hit a.title").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    check(links.length > 0, `search ${q} finds the hostile report`);
    // Every hit is visited (a search also finds other reports: "Ministerin" finds the compound
    // "Wirtschaftsministerin" of an example); at least one is a hostile one, its markup shown.
    let shown = 0;
    for (const href of links) {
      await xss.goto(`${base}${href}`);
      await noScriptRan(xss, `article ${href}`);
      const text = await xss.locator("main").textContent();
      if (!(text.includes("<script>") || text.includes("<img") || text.includes("onerror"))) continue;
      shown += 1;
      // A mark under an open popover is not clickable: a short wait each, not playwright's 30 s
      // (a report with many marks would otherwise take minutes), and Escape closes the popover.
      for (const m of await xss.locator(".text .mk").all()) {
        await m.click({ timeout: 1500 }).catch(() => {});
        await xss.keyboard.press("Escape").catch(() => {});
      }
      await noScriptRan(xss, `article ${href} after clicking every mark`);
      const storyLink = await xss.locator(".meta a[href^='/story/']").first().getAttribute("href");
      await xss.goto(`${base}${storyLink}`);
      await noScriptRan(xss, `story ${storyLink}`);
      await xss.goto(`${base}/graph?story=${storyLink.split("/").pop()}`);
      await noScriptRan(xss, `graph ${storyLink}`);
    }
    check(shown > 0, `search ${q}: a hostile report among its hits shows the markup as text (${shown} of ${links.length})`);
  }
  for (const name of ["Jonas Weber", "Bremen", "Lars Henning", "Anna"]) {
    await xss.goto(`${base}/entity?name=${encodeURIComponent(name)}`);
    await noScriptRan(xss, `entity ${name}`);
  }
  await xss.goto(`${base}/`);
  await noScriptRan(xss, "home with hostile stories");
  const unsafe = await xss.goto(`${base}/?q=Angriff`);
  check(unsafe.headers()["content-security-policy"]?.includes("script-src 'self'"), "pages carry the Content-Security-Policy");
  await xss.goto(`${base}/map?q=Bremen`);
  await noScriptRan(xss, "map of a hostile search");
  await shot(xss, "xss-article");

  // Without JavaScript: search and read an article.
  const nojs = await newPage({ javaScriptEnabled: false });
  await nojs.goto(`${base}/?q=Hafenbr%C3%BCcke`);
  check(await nojs.locator("li.hit").count() >= 3, "without JavaScript: search works");
  await Promise.all([nojs.waitForNavigation(), nojs.locator("li.hit a.title").first().click()]);
  check(await nojs.locator(".text .mk-claim").count() > 0, "without JavaScript: the article shows its marks");
  await nojs.locator(".text a.mk-ent").first().click();
  const target = await nojs.evaluate(() => location.hash);
  check(/^#info-E\d+/.test(target), `without JavaScript: a mark links to its explanation (${target})`);
} catch (e) {
  console.error(e);
  failures++;
} finally {
  await browser.close().catch(() => {});
  server.kill("SIGINT");
  rmSync(store, { recursive: true, force: true });
}
console.log(failures ? `browser tests: ${failures} failed` : "browser tests: all passed");
process.exit(failures ? 1 : 0);

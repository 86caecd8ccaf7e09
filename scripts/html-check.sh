#!/usr/bin/env bash
# make html-check: REPORT.html in a real browser (headless Chromium, Debian's `chromium`,
# installed with apt-get if missing).
#
# Runs a small reproduction (quick preset, Figs. 2 and 14) into HTML_CHECK_OUT (default
# runs/html-check), then:
#   - statically: REPORT.html names no remote or file: resource (src=/href= to http(s): or //,
#     no <link>, <script>, <img>, <iframe>, @import);
#   - in Chromium, from file:// with every host name unresolvable (--host-resolver-rules), on a
#     copy of the page with a small probe script added (the page itself has no script): every
#     figure of the run (timing.json) has a section #figNN; each with figNN/figNN.svg on disk
#     has that SVG inlined, laid out with a non-zero size and with drawn content (a non-empty
#     bounding box of its canvas); every <use> and every in-page link resolves to an id; the
#     page fetched nothing and nothing failed to load (resource timing entries, error events,
#     the requests in Chromium's --v=1 log, and its "Failed to load resource" messages);
#   - a screenshot of the whole page, HTML_CHECK_OUT/REPORT.png, to look at.
# HTML_CHECK_BEYOND=1 adds `--beyond on`: the section "Beyond the paper's approximations" then
# needs its sections #beyond-a ... #beyond-e and its five SVGs (beyond/*.svg, beyond/aging/aging.svg)
# inlined and drawn (about a minute more).
# HTML_CHECK_EXACT=1 adds `--exact-dynamics on`: the section "Mean field against exact dynamics"
# then needs its sections #exact-dos ... #exact-aging and their four SVGs (exact-dynamics/*.svg)
# inlined and drawn (about a minute more).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GLASSDYN_BIN:-$ROOT/.build/release/glassdyn}
OUT=${HTML_CHECK_OUT:-$ROOT/runs/html-check}
FIGURES=${HTML_CHECK_FIGURES:-2,14}
BEYOND=${HTML_CHECK_BEYOND:-}
EXACT=${HTML_CHECK_EXACT:-}
START=$(date +%s)
[ -x "$BIN" ] || { echo "html-check: $BIN is missing (make release)"; exit 1; }
fail() { echo "html-check: FAIL: $*"; exit 1; }

if ! dpkg -s chromium >/dev/null 2>&1; then
  echo "html-check: installing chromium"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be missing or stale: update and retry once if the install fails.
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "no chromium executable after installing the package"

T=$(mktemp -d /tmp/glassdyn-html-check.XXXXXX)
PROBE="$OUT/.html-check-probe.html"
cleanup() { rm -rf "$T"; rm -f "$PROBE"; }
trap cleanup EXIT

echo "html-check: glassdyn reproduce --preset quick --figures $FIGURES ${BEYOND:+--beyond on }${EXACT:+--exact-dynamics on }--out $OUT"
"$BIN" reproduce --preset quick --figures "$FIGURES" ${BEYOND:+--beyond on} ${EXACT:+--exact-dynamics on} --out "$OUT" --force --quiet >"$T/reproduce.log" 2>&1 \
  || { cat "$T/reproduce.log"; fail "glassdyn reproduce failed"; }
PAGE="$OUT/REPORT.html"
[ -s "$PAGE" ] || fail "$PAGE was not written"
REPRODUCED=$(date +%s)

# The figures of this run (timing.json; OUT may hold older figure folders) each need a section;
# those with figNN/figNN.svg on disk must have it inlined and drawn.
sections=()
for id in $(sed -n 's/^ *"figure" : "\([^"]*\)".*/\1/p' "$OUT/timing.json"); do sections+=("fig$id"); done
[ ${#sections[@]} -gt 0 ] || fail "$OUT/timing.json lists no figure"
expected=()
for name in "${sections[@]}"; do [ -e "$OUT/$name/$name.svg" ] && expected+=("$name"); done
if [ -n "$BEYOND" ]; then
  for pair in beyond-a:beyond/beyondA.svg beyond-b:beyond/beyondB.svg beyond-c:beyond/beyondC.svg \
              beyond-d:beyond/aging/aging.svg beyond-e:beyond/beyondE.svg; do
    sections+=("${pair%%:*}")
    [ -e "$OUT/${pair#*:}" ] && expected+=("${pair%%:*}")
  done
fi
if [ -n "$EXACT" ]; then
  for pair in exact-dos:exact-dynamics/exactDOS.svg exact-quench:exact-dynamics/exactQuench.svg \
              exact-response:exact-dynamics/exactResponse.svg exact-aging:exact-dynamics/exactAging.svg; do
    sections+=("${pair%%:*}")
    [ -e "$OUT/${pair#*:}" ] && expected+=("${pair%%:*}")
  done
fi
if command -v gnuplot >/dev/null 2>&1; then
  [ ${#expected[@]} -gt 0 ] || fail "gnuplot is installed but no figNN/figNN.svg was drawn"
else
  echo "html-check: gnuplot is not installed: the page has no figures to draw (make deps installs gnuplot-nox)"
fi

# Static: nothing remote or local is referenced as a resource.
if grep -Eion "(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:|//|file:)" "$PAGE" >"$T/remote.txt"; then
  head -5 "$T/remote.txt"; fail "REPORT.html references remote or file: resources"
fi
if grep -Eion "<(link|script|img|iframe|object|embed)\b|@import|url\([[:space:]]*[\"']?(https?:|//)" "$PAGE" >"$T/tags.txt"; then
  head -5 "$T/tags.txt"; fail "REPORT.html loads external resources or runs scripts"
fi

# The probe: an error listener first thing in <head>, a report after the load event into
# <pre id="html-check-result">, which --dump-dom prints.
cat >"$T/head.js" <<'EOF'
<script>window.__failed = []; addEventListener("error", function (e) { var t = e.target || {}; __failed.push(t.src || t.href || t.tagName || String(e.message)); }, true);</script>
EOF
cat >"$T/probe.js" <<'EOF'
<script>
addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("svg.plot").forEach(function (svg) {
    var r = svg.getBoundingClientRect(), canvas = svg.querySelector("g") || svg, b = canvas.getBBox();
    out.push("svg " + svg.getAttribute("data-figure") + " " + Math.round(r.width) + " " + Math.round(r.height) + " "
             + Math.round(b.width) + " " + Math.round(b.height) + " " + svg.querySelectorAll("path, use, text").length);
  });
  document.querySelectorAll("section[id]").forEach(function (s) {
    out.push("section " + s.id + " " + (s.querySelector("h2") ? s.querySelector("h2").textContent.replace(/\s+/g, "_") : "-"));
  });
  document.querySelectorAll("use").forEach(function (u) {
    var h = u.getAttribute("href") || u.getAttribute("xlink:href") || "";
    if (h.charAt(0) !== "#" || !document.getElementById(h.slice(1))) out.push("use-unresolved " + h);
  });
  document.querySelectorAll("a[href]").forEach(function (a) {
    var h = a.getAttribute("href");
    if (h.charAt(0) !== "#") out.push("link-external " + h);
    else if (!document.getElementById(decodeURIComponent(h.slice(1)))) out.push("anchor-unresolved " + h);
    else out.push("anchor " + h);
  });
  performance.getEntriesByType("resource").forEach(function (e) { out.push("resource " + e.name); });
  window.__failed.forEach(function (f) { out.push("failed " + f); });
  out.push("page " + Math.ceil(document.documentElement.scrollHeight));
  var pre = document.createElement("pre");
  pre.id = "html-check-result";
  pre.textContent = "\n" + out.join("\n") + "\n";
  document.body.appendChild(pre);
});
</script>
EOF
# The copy sits beside REPORT.html, so relative paths resolve the same way.
sed -e "/<head>/r $T/head.js" -e "/<\/body>/e cat $T/probe.js" "$PAGE" >"$PROBE"
grep -q 'id = "html-check-result"' "$PROBE" || fail "could not add the probe to the page"

FLAGS=(--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check --disable-extensions
       --disable-background-networking --disable-sync --disable-component-update
       "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$T/profile"
       --enable-logging=stderr --virtual-time-budget=10000)
# --v=1 logs every network request (NetworkDelegate::NotifyBeforeURLRequest: URL).
timeout 90 "$CHROMIUM" "${FLAGS[@]}" --v=1 --window-size=1280,900 --dump-dom "file://$PROBE" >"$T/dom.html" 2>"$T/chromium.log" \
  || { tail -20 "$T/chromium.log"; fail "chromium --dump-dom failed"; }
sed -n '/<pre id="html-check-result">/,/<\/pre>/p' "$T/dom.html" | sed -e 's/<[^>]*>//g' | grep -v '^$' >"$T/result.txt" || true
[ -s "$T/result.txt" ] || { tail -20 "$T/chromium.log"; fail "the probe reported nothing (did the page load?)"; }

problems=0
bad() { echo "html-check:   $*"; problems=$((problems + 1)); }
for name in "${expected[@]}"; do
  line=$(grep "^svg $name " "$T/result.txt" || true)
  if [ -z "$line" ]; then bad "$name: figNN.svg exists but no inline SVG of it was found"; continue; fi
  read -r _ _ w h bw bh n <<<"$line"
  if [ "$w" -gt 0 ] && [ "$h" -gt 0 ] && [ "$bw" -gt 0 ] && [ "$bh" -gt 0 ] && [ "$n" -gt 0 ]; then
    echo "html-check: $name drawn at ${w}x${h} px (content ${bw}x${bh}, $n elements)"
  else
    bad "$name: SVG not drawn: box ${w}x${h}, content ${bw}x${bh}, $n elements"
  fi
done
for name in "${sections[@]}"; do
  grep -q "^section $name " "$T/result.txt" || bad "no section #$name for figure $name"
done
drawn=$(grep -c "^svg " "$T/result.txt" || true)
[ "$drawn" -eq ${#expected[@]} ] || bad "$drawn inline SVGs for ${#expected[@]} SVG files"
# Repeated problems (the same broken reference in every point of a plot) are reported once.
while read -r count line; do
  bad "$line$([ "$count" -gt 1 ] && echo " ($count times)")"
done < <(grep -E "^(use-unresolved|anchor-unresolved|link-external|resource|failed) " "$T/result.txt" | sort | uniq -c || true)
anchors=$(grep -c "^anchor " "$T/result.txt" || true)
[ "$anchors" -gt 0 ] || bad "no in-page links (table of contents missing?)"
if grep -E "Failed to load resource|Not allowed to load local resource|Refused to (load|apply|execute)" "$T/chromium.log" >"$T/errors.txt"; then
  while read -r line; do bad "chromium: $line"; done < <(sed 's/^\[[^]]*\] //' "$T/errors.txt" | sort -u)
fi
# Every network request the browser made, apart from Chromium's own services (clock, updates,
# accounts), which it contacts even with background networking off.
grep -o "NotifyBeforeURLRequest: [^ ]*" "$T/chromium.log" | sed 's/^NotifyBeforeURLRequest: //' \
  | grep -Ev "^https?://(clients[0-9]*\.google\.com|update\.googleapis\.com|accounts\.google\.com)/" | sort -u >"$T/requests.txt" || true
while read -r url; do bad "the browser requested $url"; done <"$T/requests.txt"

# A screenshot of the whole page for a person to look at.
height=$(sed -n 's/^page //p' "$T/result.txt")
height=$(( ${height:-4000} > 16000 ? 16000 : ${height:-4000} ))
timeout 90 "$CHROMIUM" "${FLAGS[@]}" --hide-scrollbars --window-size=1280,"$height" --screenshot="$OUT/REPORT.png" \
  "file://$PAGE" >/dev/null 2>"$T/screenshot.log" || { tail -20 "$T/screenshot.log"; fail "chromium --screenshot failed"; }
[ "$(stat -c %s "$OUT/REPORT.png" 2>/dev/null || echo 0)" -gt 10000 ] || bad "the screenshot $OUT/REPORT.png is missing or blank"

END=$(date +%s)
if [ "$problems" -gt 0 ]; then
  cp "$T/chromium.log" "$OUT/html-check-chromium.log"
  fail "$problems problem(s); Chromium's log is in $OUT/html-check-chromium.log"
fi
echo "html-check: OK: ${#sections[@]} figure sections, ${#expected[@]} SVGs drawn, $anchors in-page links resolve," \
     "no resource loaded; screenshot $OUT/REPORT.png (${height}px high);" \
     "reproduce $((REPRODUCED - START)) s, browser $((END - REPRODUCED)) s"

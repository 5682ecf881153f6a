package dev.tollgate.cli.report;

import dev.tollgate.cli.report.RolloutReport.Check;
import dev.tollgate.cli.report.RolloutReport.DecisionPoint;
import dev.tollgate.cli.report.RolloutReport.StateSpan;
import dev.tollgate.cli.report.RolloutReport.Step;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.json.Json;
import dev.tollgate.ops.TickOutputs;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rollout report as one self-contained HTML page: inline CSS, the report's data as inline JSON,
 * and a small inline script that draws each chart as SVG (canary, baseline, the bake window, the
 * decision points). No network access at all: it opens from a file, an e-mail or an artifact store.
 * When every chart is drawn the script sets {@code data-charts-drawn} on the body, which is what a
 * headless browser checks.
 */
public final class ReportPage {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private ReportPage() {}

    public static String html(RolloutReport report) {
        StringBuilder page = new StringBuilder(32_768);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Rollout report: ")
                .append(escape(report.deploymentId()))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style></head>\n<body>\n");
        header(page, report);
        states(page, report);
        for (Step step : report.steps()) {
            step(page, report, step);
        }
        if (report.steps().isEmpty()) {
            page.append("<section><h2>Steps</h2><p class=\"muted\">No traffic was shifted.</p></section>\n");
        }
        releaseSection(page, report);
        timeline(page, report);
        page.append("<footer class=\"muted\">Generated ")
                .append(escape(time(report.generatedAt())))
                .append(
                        " by <code>tollgate report</code>. <span id=\"charts-status\">Charts need JavaScript.</span></footer>\n");
        page.append("<script type=\"application/json\" id=\"report-data\">")
                // Every '<' escaped (JSON allows \u003c in strings): no text of the deployment can end or re-open the
                // script element.
                .append(Json.write(report).replace("<", "\\u003c"))
                .append("</script>\n");
        page.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return page.toString();
    }

    /**
     * A release in waves on one page: its status and reason, and per wave each target with its region, status, reason,
     * and a link to the target's own report ({@code <deploymentId>.html} beside this page) when it was deployed.
     */
    public static String html(
            dev.tollgate.release.ReleaseRecord release, java.util.Set<String> reported, Instant generatedAt) {
        StringBuilder page = new StringBuilder(8_192);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Release report: ")
                .append(escape(release.releaseId()))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style></head>\n<body>\n");
        String status = release.status().name();
        page.append("<header><h1>")
                .append(escape(release.releaseId()))
                .append("</h1>\n<p><span class=\"badge status-")
                .append(escape(status.toLowerCase(Locale.ROOT)))
                .append("\">")
                .append(escape(status))
                .append("</span> ")
                .append(release.waves().size())
                .append(" waves, ")
                .append(release.targets().size())
                .append(" targets, onFailure <b>")
                .append(escape(release.onFailure().name()))
                .append("</b></p>\n");
        if (release.reason() != null) {
            page.append("<p class=\"reason\">").append(escape(release.reason())).append("</p>\n");
        }
        page.append("<dl>");
        definition(page, "started", time(release.startedAt()));
        definition(page, "ended", time(release.endedAt()));
        definition(page, "aborted by", release.abortedBy());
        definition(page, "execution", release.executionArn());
        page.append("</dl></header>\n");
        for (dev.tollgate.release.ReleaseRecord.WaveState wave : release.waves()) {
            page.append("<section><h2>Wave ")
                    .append(wave.wave())
                    .append(" <span class=\"badge status-")
                    .append(escape(wave.status().name().toLowerCase(Locale.ROOT)))
                    .append("\">")
                    .append(escape(wave.status().name()))
                    .append(
                            "</span></h2>\n<table><tr><th>target</th><th>region</th><th>status</th><th>reason</th></tr>\n");
            for (dev.tollgate.release.ReleaseRecord.TargetState target : wave.targets()) {
                String id = escape(target.deploymentId());
                page.append("<tr><td>")
                        .append(
                                reported.contains(target.deploymentId())
                                        ? "<a href=\"" + id + ".html\">" + id + "</a>"
                                        : id)
                        .append("</td><td>")
                        .append(escape(target.region()))
                        .append("</td><td>")
                        .append(escape(target.status().name()))
                        .append("</td><td>")
                        .append(escape(target.reason()))
                        .append("</td></tr>\n");
            }
            page.append("</table></section>\n");
        }
        page.append("<footer class=\"muted\">Generated ")
                .append(escape(time(generatedAt)))
                .append(
                        " by <code>tollgate report</code>; each target's link is its own rollout report.</footer>\n</body></html>\n");
        return page.toString();
    }

    private static void header(StringBuilder page, RolloutReport report) {
        String status = report.status() == null ? "UNKNOWN" : report.status();
        page.append("<header><h1>")
                .append(escape(report.deploymentId()))
                .append("</h1>\n<p><span class=\"badge status-")
                .append(escape(status.toLowerCase(Locale.ROOT)))
                .append("\">")
                .append(escape(status))
                .append("</span> ")
                .append(report.service() == null ? "" : "service <b>" + escape(report.service()) + "</b>")
                .append("</p>\n");
        if (report.reason() != null) {
            page.append("<p class=\"reason\">").append(escape(report.reason())).append("</p>\n");
        }
        page.append("<dl>");
        definition(page, "started", time(report.startedAt()));
        definition(page, "finished", time(report.finishedAt()));
        if (report.startedAt() != null && report.finishedAt() != null) {
            definition(page, "took", seconds(Duration.between(report.startedAt(), report.finishedAt())));
        }
        definition(page, "execution", report.executionArn());
        definition(page, "analysis period", report.periodSeconds() + " s");
        page.append("</dl></header>\n");
    }

    /** The states of the execution on one time axis, as bars (a Gantt chart drawn with CSS). */
    private static void states(StringBuilder page, RolloutReport report) {
        page.append("<section><h2>Timeline of states</h2>\n");
        if (report.states().isEmpty()) {
            page.append("<p class=\"muted\">No execution history.</p></section>\n");
            return;
        }
        Instant first = report.states().get(0).entered();
        Instant last = first;
        for (StateSpan span : report.states()) {
            Instant end = span.exited() != null ? span.exited() : span.entered();
            if (end.isAfter(last)) {
                last = end;
            }
        }
        double total = Math.max(1, Duration.between(first, last).toMillis());
        List<StateSpan> rows = collapseLoops(report.states());
        page.append("<table class=\"states\"><thead><tr><th>state</th><th>at</th><th>took</th><th class=\"bar-cell\">")
                .append("0 s … ")
                .append(seconds(Duration.between(first, last)))
                .append("</th></tr></thead><tbody>\n");
        for (StateSpan span : rows) {
            Instant end = span.exited() != null ? span.exited() : span.entered();
            double left = 100.0 * Duration.between(first, span.entered()).toMillis() / total;
            double width =
                    Math.max(0.4, 100.0 * Duration.between(span.entered(), end).toMillis() / total);
            page.append("<tr")
                    .append(span.failure() == null ? "" : " class=\"failed\"")
                    .append("><td>")
                    .append(escape(span.name()))
                    .append("</td><td>")
                    .append(escape(clock(span.entered())))
                    .append("</td><td>")
                    .append(escape(seconds(Duration.between(span.entered(), end))))
                    .append("</td><td class=\"bar-cell\">")
                    .append(String.format(
                            Locale.ROOT,
                            "<div class=\"bar\" style=\"margin-left:%.2f%%;width:%.2f%%\"></div>",
                            left,
                            width));
            if (span.failure() != null) {
                page.append("<div class=\"failure\">")
                        .append(escape(span.failure()))
                        .append("</div>");
            }
            page.append("</td></tr>\n");
        }
        page.append("</tbody></table></section>\n");
    }

    /** States a deployment repeats while it waits (bake and judge, poll the canary or the migration task). */
    private static final Set<String> LOOPING = Set.of(
            "WaitForFirstTick",
            "Bake",
            TickOutputs.EARLIER_ANALYZE_STEP,
            TickOutputs.DECIDE,
            "RouteDecision",
            "WaitForCanary",
            "CheckCanaryHealth",
            "IsCanaryHealthy",
            "WaitForMigrationTask",
            "CheckMigrationTask",
            "AreMigrationsDone");

    /** Consecutive rounds of a waiting loop as one row ("Bake → Decide → RouteDecision × 6"): a step per row. */
    static List<StateSpan> collapseLoops(List<StateSpan> spans) {
        List<StateSpan> rows = new ArrayList<>();
        int index = 0;
        while (index < spans.size()) {
            StateSpan span = spans.get(index);
            if (!LOOPING.contains(span.name())) {
                rows.add(span);
                index++;
                continue;
            }
            int end = index;
            while (end < spans.size() && LOOPING.contains(spans.get(end).name())) {
                end++;
            }
            List<StateSpan> loop = spans.subList(index, end);
            Set<String> names = new LinkedHashSet<>();
            loop.forEach(state -> names.add(state.name()));
            long rounds = loop.stream()
                    .filter(state -> state.name().equals(span.name()))
                    .count();
            StateSpan last = loop.get(loop.size() - 1);
            String failure = loop.stream()
                    .map(StateSpan::failure)
                    .filter(java.util.Objects::nonNull)
                    .reduce((a, b) -> b)
                    .orElse(null);
            rows.add(
                    loop.size() == 1
                            ? span
                            : new StateSpan(
                                    String.join(" → ", names) + (rounds > 1 ? " × " + rounds : ""),
                                    span.entered(),
                                    last.exited() != null ? last.exited() : last.entered(),
                                    failure));
            index = end;
        }
        return rows;
    }

    private static void step(StringBuilder page, RolloutReport report, Step step) {
        boolean watch = step.canaryWeight() == 100;
        page.append("<section class=\"step\"><h2>")
                .append(
                        watch
                                ? "After the promotion: the new version at 100 %, watched against "
                                        + "the old version's history from before the rollout"
                                : "Step " + (step.stepIndex() + 1) + ": canary at " + step.canaryWeight() + " %")
                .append("</h2>\n<p class=\"muted\">from ")
                .append(escape(time(step.startedAt())))
                .append(" to ")
                .append(escape(time(step.endedAt())))
                .append(watch ? ", watch " : ", bake time ")
                .append(step.bakeSeconds())
                .append(" s (shaded in the charts), ")
                .append(step.decisions().size())
                .append(" decision point(s) (dashed lines)</p>\n");
        page.append("<div class=\"charts\">");
        for (int chart = 0; chart < step.charts().size(); chart++) {
            RolloutReport.Chart metric = step.charts().get(chart);
            page.append("<figure><figcaption>")
                    .append(escape(metric.metric()))
                    .append(" (")
                    .append(escape(metric.unit()))
                    .append(
                            ") <span class=\"legend canary\">canary</span> <span class=\"legend baseline\">baseline</span></figcaption>")
                    .append("<svg class=\"chart\" viewBox=\"0 0 560 220\" role=\"img\" data-step=\"")
                    .append(report.steps().indexOf(step))
                    .append("\" data-chart=\"")
                    .append(chart)
                    .append("\" aria-label=\"")
                    .append(escape(metric.metric()))
                    .append(", canary against baseline\"></svg></figure>");
        }
        page.append("</div>\n");
        if (!step.decisions().isEmpty()) {
            page.append(
                            "<table class=\"decisions\"><thead><tr><th>at</th><th>verdict</th><th>decision</th><th>why, with the numbers</th></tr>")
                    .append("</thead><tbody>\n");
            for (DecisionPoint decision : step.decisions()) {
                page.append("<tr><td>")
                        .append(escape(clock(decision.at())))
                        .append("</td><td>")
                        .append(verdict(decision.verdict()))
                        .append("</td><td><b>")
                        .append(escape(decision.action()))
                        .append("</b><br><span class=\"muted\">by ")
                        .append(escape(decision.decidedBy()))
                        .append("</span></td><td><p>")
                        .append(escape(decision.reason()))
                        .append("</p>");
                checks(page, decision.checks());
                page.append("</td></tr>\n");
            }
            page.append("</tbody></table>\n");
        }
        page.append("</section>\n");
    }

    /**
     * A tick's checks: those the verdict rests on, then the dry runs apart under their own heading,
     * since they took no part in it (docs/replay-and-plan.md#dry-run-checks).
     */
    static void checks(StringBuilder page, List<Check> checks) {
        for (boolean dryRuns : new boolean[] {false, true}) {
            List<Check> shown =
                    checks.stream().filter(check -> check.dryRun() == dryRuns).toList();
            if (shown.isEmpty()) {
                continue;
            }
            if (dryRuns) {
                page.append("<p class=\"dry-run-title\">Dry-run checks (judged, no part in the decision)</p>");
            }
            page.append(dryRuns ? "<ul class=\"dry-run\">" : "<ul>");
            for (Check check : shown) {
                page.append("<li>")
                        .append(verdict(check.verdict()))
                        .append(" <b>")
                        .append(escape(check.name()))
                        .append("</b>: ")
                        .append(escape(check.reason()));
                if (!check.numbers().isEmpty()) {
                    page.append("<br><span class=\"numbers\">");
                    check.numbers().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .forEach(number -> page.append(escape(number.getKey()))
                                    .append('=')
                                    .append(escape(format(number.getValue())))
                                    .append(' '));
                    page.append("</span>");
                }
                page.append("</li>");
            }
            page.append("</ul>");
        }
    }

    private static void releaseSection(StringBuilder page, RolloutReport report) {
        page.append("<section><h2>Release</h2>\n<h3>Migrations</h3><p>")
                .append(escape(report.migrations().mode()))
                .append(": ")
                .append(escape(report.migrations().summary()))
                .append("</p>");
        if (!report.migrations().applied().isEmpty()) {
            page.append("<ul class=\"migrations\">");
            report.migrations()
                    .applied()
                    .forEach(script ->
                            page.append("<li><code>").append(escape(script)).append("</code></li>"));
            page.append("</ul>");
        }
        if (!report.migrations().pending().isEmpty()) {
            page.append("<p>Dry run: nothing applied. A real run would apply:</p><ul class=\"migrations pending\">");
            report.migrations()
                    .pending()
                    .forEach(script ->
                            page.append("<li><code>").append(escape(script)).append("</code></li>"));
            page.append("</ul>");
        }
        page.append("\n<h3>Secrets pinned</h3>");
        if (report.secrets().isEmpty()) {
            page.append("<p class=\"muted\">none</p>");
        } else {
            page.append(
                    "<table class=\"secrets\"><thead><tr><th>secret</th><th>version pinned</th></tr></thead><tbody>");
            report.secrets()
                    .forEach(secret -> page.append("<tr><td><code>")
                            .append(escape(secret.id()))
                            .append("</code></td><td><code>")
                            .append(escape(secret.versionId()))
                            .append("</code></td></tr>"));
            page.append("</tbody></table>");
        }
        page.append("</section>\n");
    }

    private static void timeline(StringBuilder page, RolloutReport report) {
        if (report.timeline().isEmpty()) {
            return;
        }
        page.append(
                        "<section><h2>Deployment record</h2><table class=\"timeline\"><thead><tr><th>at</th><th>what</th><th>step</th>")
                .append("<th>weight</th><th>verdict</th><th>message</th></tr></thead><tbody>\n");
        for (TimelineEntry entry : report.timeline()) {
            page.append("<tr><td>")
                    .append(escape(clock(entry.at())))
                    .append("</td><td>")
                    .append(escape(entry.state()))
                    .append("</td><td>")
                    .append(entry.stepIndex() == null ? "" : "#" + (entry.stepIndex() + 1))
                    .append("</td><td>")
                    .append(entry.canaryWeight() == null ? "" : entry.canaryWeight() + " %")
                    .append("</td><td>")
                    .append(entry.verdict() == null ? "" : verdict(entry.verdict()))
                    .append("</td><td>")
                    .append(escape(entry.message()))
                    .append("</td></tr>\n");
        }
        page.append("</tbody></table></section>\n");
    }

    private static String verdict(String verdict) {
        String name = verdict == null ? "NONE" : verdict;
        return "<span class=\"badge verdict-" + escape(name.toLowerCase(Locale.ROOT)) + "\">" + escape(name)
                + "</span>";
    }

    private static void definition(StringBuilder page, String term, String value) {
        if (value != null && !value.isEmpty()) {
            page.append("<dt>")
                    .append(escape(term))
                    .append("</dt><dd>")
                    .append(escape(value))
                    .append("</dd>");
        }
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    private static String clock(Instant instant) {
        return instant == null ? "" : CLOCK.format(instant);
    }

    private static String seconds(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 120 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
    }

    private static String format(double value) {
        return Math.abs(value) >= 1000 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1d2430}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
            h3{font-size:15px;margin:14px 0 6px}.muted{color:#6b7280}.reason{background:#f5f7fa;border-left:4px solid #9aa5b5;padding:6px 10px}
            dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:8px 0}dt{color:#6b7280}dd{margin:0;word-break:break-all}
            .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:#6b7280}
            .status-promoted,.verdict-pass{background:#1f9d55}.status-rolled_back,.status-failed,.verdict-fail{background:#d64545}
            .status-running,.verdict-inconclusive{background:#c98a1a}.status-manual_intervention_required{background:#7c3aed}.status-dry_run{background:#2563eb}
            table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #eef0f4}
            th{font-weight:600;color:#4b5563;background:#f8f9fb}.states td:nth-child(-n+3){white-space:nowrap}
            .bar-cell{width:55%}.bar{height:12px;background:#4b7bd1;border-radius:2px;min-width:2px}.failed .bar{background:#d64545}
            .failure{color:#b42318;font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;flex:1 1 540px}
            figcaption{font-weight:600;margin-bottom:2px}svg.chart{width:100%;height:auto;background:#fff;border:1px solid #e5e7eb}
            .legend::before{content:"";display:inline-block;width:14px;height:3px;margin:0 4px 3px 8px;vertical-align:middle}
            .legend.canary::before{background:#e4572e}.legend.baseline::before{background:#2f6fdb}.legend{font-weight:400;color:#4b5563}
            .numbers{font:12px ui-monospace,monospace;color:#4b5563}ul{margin:4px 0;padding-left:18px}td p{margin:0 0 4px}
            footer{margin:24px 0 8px;font-size:12px}.dry-run{border-left:3px dashed #9aa5b5;opacity:.85}
            .dry-run-title{margin:6px 0 0;font-size:12px;font-weight:600;color:#6b7280}
            """;

    /** Draws every chart of the page from the inline data: axes, bake window, decision points, baseline and canary. */
    private static final String SCRIPT = """
            (function () {
              var report = JSON.parse(document.getElementById('report-data').textContent);
              var NS = 'http://www.w3.org/2000/svg', W = 560, H = 220, L = 52, R = 12, T = 12, B = 30;
              function el(name, attrs, parent) {
                var node = document.createElementNS(NS, name);
                for (var key in attrs) { node.setAttribute(key, attrs[key]); }
                if (parent) { parent.appendChild(node); }
                return node;
              }
              function ms(text) { return new Date(text).getTime(); }
              function label(value) { return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toPrecision(2); }
              var drawn = 0;
              document.querySelectorAll('svg.chart').forEach(function (svg) {
                var step = report.steps[+svg.dataset.step], chart = step.charts[+svg.dataset.chart];
                var all = chart.canary.concat(chart.baseline);
                var x0 = ms(step.startedAt) - 2 * report.periodSeconds * 1000, x1 = Math.max(ms(step.endedAt), x0 + 1000);
                all.forEach(function (p) { x0 = Math.min(x0, ms(p.at)); x1 = Math.max(x1, ms(p.at)); });
                var yMax = 0;
                all.forEach(function (p) { yMax = Math.max(yMax, p.value); });
                yMax = yMax > 0 ? yMax * 1.15 : 1;
                function x(t) { return L + (t - x0) / (x1 - x0) * (W - L - R); }
                function y(v) { return H - B - v / yMax * (H - T - B); }
                var bakeEnd = Math.min(ms(step.startedAt) + step.bakeSeconds * 1000, x1);
                el('rect', {'class': 'bake-window', x: x(ms(step.startedAt)), y: T, width: Math.max(1, x(bakeEnd) - x(ms(step.startedAt))),
                  height: H - T - B, fill: '#eef3fb'}, svg);
                for (var i = 0; i <= 4; i++) {
                  var v = yMax * i / 4;
                  el('line', {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#eceff3'}, svg);
                  el('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280'}, svg).textContent = label(v);
                }
                el('line', {x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#9aa5b5'}, svg);
                [x0, (x0 + x1) / 2, x1].forEach(function (t, index) {
                  el('text', {x: x(t), y: H - 10, 'text-anchor': ['start', 'middle', 'end'][index], 'font-size': 10, fill: '#6b7280'}, svg)
                    .textContent = new Date(t).toISOString().substring(11, 19);
                });
                el('text', {x: x(ms(step.startedAt)) + 4, y: T + 12, 'font-size': 10, fill: '#4b7bd1'}, svg).textContent = 'bake ' + step.bakeSeconds + ' s';
                step.decisions.forEach(function (d) {
                  var color = d.verdict === 'FAIL' ? '#d64545' : d.verdict === 'PASS' ? '#1f9d55' : '#c98a1a';
                  var line = el('line', {'class': 'decision', x1: x(ms(d.at)), x2: x(ms(d.at)), y1: T, y2: H - B, stroke: color,
                    'stroke-dasharray': '4 3'}, svg);
                  el('title', {}, line).textContent = d.verdict + ' -> ' + d.action + ': ' + d.reason;
                });
                [['baseline', chart.baseline, '#2f6fdb'], ['canary', chart.canary, '#e4572e']].forEach(function (series) {
                  var points = series[1].slice().sort(function (a, b) { return ms(a.at) - ms(b.at); });
                  if (points.length === 0) { return; }
                  var d = points.map(function (p, i) { return (i ? 'L' : 'M') + x(ms(p.at)).toFixed(1) + ' ' + y(p.value).toFixed(1); }).join(' ');
                  el('path', {'class': 'series ' + series[0], d: d, fill: 'none', stroke: series[2], 'stroke-width': 2}, svg);
                  points.forEach(function (p) {
                    var dot = el('circle', {'class': 'point ' + series[0], cx: x(ms(p.at)), cy: y(p.value), r: 2.5, fill: series[2]}, svg);
                    el('title', {}, dot).textContent = series[0] + ' ' + new Date(ms(p.at)).toISOString().substring(11, 19) + ': ' + label(p.value);
                  });
                });
                if (all.length === 0) {
                  el('text', {x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#6b7280'}, svg).textContent = 'no data points';
                }
                drawn++;
              });
              document.body.setAttribute('data-charts-drawn', String(drawn));
              document.getElementById('charts-status').textContent = drawn + ' chart(s) drawn.';
            })();
            """;
}

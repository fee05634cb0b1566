// The funnel report: renders every chart from the embedded data with Plotly, re-rendering when
// a filter changes. Filters: period (from / to month), channel, owner; a chart whose mart has
// no such column says which filters apply. Hash parameters preset filters: #channel=x&owner=y.
(function () {
  "use strict";
  var errors = [];
  function recordError(message) {
    errors.push(String(message));
    var list = document.getElementById("report-errors");
    if (list) { list.textContent = errors.join("\n"); list.hidden = false; }
  }
  window.addEventListener("error", function (event) { recordError(event.message); });

  var payload = JSON.parse(document.getElementById("report-data").textContent);
  var stages = payload.stages;

  function rows(name) {
    var data = payload.datasets[name];
    return data.rows.map(function (row) {
      var record = {};
      data.columns.forEach(function (column, i) { record[column] = row[i]; });
      return record;
    });
  }
  var tables = {};
  Object.keys(payload.datasets).forEach(function (name) { tables[name] = rows(name); });

  function distinct(values) {
    return Array.from(new Set(values)).filter(function (v) { return v !== null; }).sort();
  }
  function sum(list, key) {
    return list.reduce(function (total, row) { return total + (Number(row[key]) || 0); }, 0);
  }
  function ratio(a, b) { return b ? a / b : null; }
  function groupBy(list, key) {
    var groups = {};
    list.forEach(function (row) { (groups[row[key]] = groups[row[key]] || []).push(row); });
    return groups;
  }
  function fmt(value, digits) {
    if (value === null || value === undefined || isNaN(value)) { return "–"; }
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 0 : digits });
  }
  function pct(value) { return value === null ? "–" : (100 * value).toFixed(1) + "%"; }

  // ---- filters -------------------------------------------------------------------------
  var months = distinct([].concat.apply([], Object.keys(tables).map(function (name) {
    return tables[name].map(function (row) { return row.month; });
  })).filter(Boolean));
  var channels = distinct(tables.funnel.map(function (r) { return r.channel; }));
  var owners = distinct(tables.funnel.map(function (r) { return r.owner; })
    .concat(tables.deal_closes.map(function (r) { return r.owner; })));

  function fillSelect(id, values, allLabel) {
    var select = document.getElementById(id);
    if (allLabel) { select.add(new Option(allLabel, "")); }
    values.forEach(function (value) { select.add(new Option(value, value)); });
  }
  fillSelect("filter-from", months);
  fillSelect("filter-to", months);
  fillSelect("filter-channel", channels, "all channels");
  fillSelect("filter-owner", owners, "all owners");
  document.getElementById("filter-from").value = months[0];
  document.getElementById("filter-to").value = months[months.length - 1];

  var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  ["from", "to", "channel", "owner"].forEach(function (name) {
    if (hash.has(name)) { document.getElementById("filter-" + name).value = hash.get(name); }
  });

  function filters() {
    return {
      from: document.getElementById("filter-from").value,
      to: document.getElementById("filter-to").value,
      channel: document.getElementById("filter-channel").value,
      owner: document.getElementById("filter-owner").value
    };
  }
  function applies(row, f, dims) {
    if (row.month && (row.month < f.from || row.month > f.to)) { return false; }
    if (dims.indexOf("channel") >= 0 && f.channel && row.channel !== f.channel) { return false; }
    if (dims.indexOf("owner") >= 0 && f.owner && row.owner !== f.owner) { return false; }
    return true;
  }
  function filtered(name, f, dims) {
    return tables[name].filter(function (row) { return applies(row, f, dims); });
  }

  // ---- charts --------------------------------------------------------------------------
  var layoutBase = { margin: { t: 30, r: 20, b: 60, l: 70 }, height: 340, legend: { orientation: "h" } };
  function plot(id, traces, layout) {
    var element = document.getElementById(id);
    var points = traces.reduce(function (n, t) {
      return n + ((t.y || t.z || t.values || []).filter(function (v) {
        return Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined;
      }).length);
    }, 0);
    element.setAttribute("data-points", String(points));
    element.classList.toggle("empty", points === 0);
    Plotly.react(element, traces, Object.assign({}, layoutBase, layout || {}),
      { displaylogo: false, responsive: true });
  }
  function setText(id, text) { document.getElementById(id).textContent = text; }

  function renderFunnel(f) {
    var list = filtered("funnel", f, ["channel", "owner"]);
    var reached = stages.map(function (stage) { return sum(list, "reached_" + stage); });
    var first = reached[0];
    var step = reached.map(function (n, i) { return i === 0 ? 1 : ratio(n, reached[i - 1]); });
    var cumulative = reached.map(function (n) { return ratio(n, first); });
    plot("chart-funnel", [
      { type: "funnel", y: stages, x: reached, textinfo: "value+percent initial", name: "reached" }
    ], { margin: { t: 20, r: 20, b: 30, l: 110 } });
    plot("chart-conversion", [
      { type: "bar", x: stages, y: step, name: "step conversion", text: step.map(pct), textposition: "auto" },
      { type: "scatter", mode: "lines+markers", x: stages, y: cumulative, name: "cumulative conversion" }
    ], { yaxis: { tickformat: ".0%" } });
    setText("kpi-entities", fmt(sum(list, "entities")));
    setText("kpi-conversion-to-won", pct(ratio(reached[reached.length - 1], first)));

    // cohort heatmap: cumulative conversion to each stage by cohort month
    var byMonth = groupBy(list, "month");
    var cohortMonths = Object.keys(byMonth).sort();
    var z = stages.slice(1).map(function (stage) {
      return cohortMonths.map(function (m) {
        return ratio(sum(byMonth[m], "reached_" + stage), sum(byMonth[m], "reached_" + stages[0]));
      });
    });
    plot("chart-cohorts", [{
      type: "heatmap", x: cohortMonths, y: stages.slice(1), z: z, colorscale: "Blues", reversescale: true,
      hovertemplate: "cohort %{x}<br>to %{y}: %{z:.1%}<extra></extra>", zmin: 0
    }], { yaxis: { autorange: "reversed" } });
  }

  function renderDropOff(f) {
    var list = filtered("drop_off", f, ["channel", "owner"]);
    var byStage = groupBy(list, "stage");
    var order = distinct(list.map(function (r) { return r.stage; })).sort(function (a, b) {
      return byStage[a][0].stage_order - byStage[b][0].stage_order;
    });
    plot("chart-drop-off", [
      { type: "bar", x: order, y: order.map(function (s) { return sum(byStage[s], "lost"); }), name: "lost" },
      { type: "bar", x: order, y: order.map(function (s) { return sum(byStage[s], "stalled"); }), name: "stalled" }
    ], { barmode: "stack", xaxis: { title: "furthest stage reached" } });
    setText("kpi-stalled", fmt(sum(list, "stalled")));
  }

  function renderDurations() {
    var list = tables.stage_durations;
    var labels = list.map(function (r) { return r.stage + " (" + r.entity_type + ")"; });
    plot("chart-durations", [
      { type: "bar", x: labels, y: list.map(function (r) { return r.completed_mean_days; }), name: "mean days" },
      { type: "bar", x: labels, y: list.map(function (r) { return r.completed_median_days; }), name: "median days" },
      { type: "bar", x: labels, y: list.map(function (r) { return r.completed_p90_days; }), name: "p90 days" },
      { type: "scatter", mode: "markers", x: labels, y: list.map(function (r) { return r.open_median_age_days; }),
        name: "open spells: median age (right axis)", yaxis: "y2", marker: { symbol: "diamond", size: 10 } }
    ], { barmode: "group", yaxis: { title: "days (completed)" },
      yaxis2: { title: "days (open)", overlaying: "y", side: "right", rangemode: "tozero" } });
  }

  function renderSales(f) {
    var closes = groupBy(filtered("deal_closes", f, ["channel", "owner"]), "month");
    var won = groupBy(filtered("won_deals", f, ["channel", "owner"]), "month");
    var closeMonths = Object.keys(closes).sort();
    var wonMonths = Object.keys(won).sort();
    plot("chart-win-rate", [
      { type: "scatter", mode: "lines+markers", x: closeMonths, name: "win rate by count",
        y: closeMonths.map(function (m) { return ratio(sum(closes[m], "won"), sum(closes[m], "won") + sum(closes[m], "lost")); }) },
      { type: "scatter", mode: "lines+markers", x: closeMonths, name: "win rate by amount",
        y: closeMonths.map(function (m) { return ratio(sum(closes[m], "won_amount"), sum(closes[m], "won_amount") + sum(closes[m], "lost_amount")); }) }
    ], { yaxis: { tickformat: ".0%" } });
    plot("chart-sales-cycle", [
      { type: "bar", x: wonMonths, name: "sales cycle (days)",
        y: wonMonths.map(function (m) { return ratio(sum(won[m], "cycle_days"), sum(won[m], "won")); }) },
      { type: "scatter", mode: "lines+markers", x: wonMonths, name: "average deal size", yaxis: "y2",
        y: wonMonths.map(function (m) { return ratio(sum(won[m], "won_amount"), sum(won[m], "won")); }) }
    ], { yaxis: { title: "days" }, yaxis2: { title: "deal size", overlaying: "y", side: "right" } });
    var allCloses = filtered("deal_closes", f, ["channel", "owner"]);
    setText("kpi-win-rate", pct(ratio(sum(allCloses, "won"), sum(allCloses, "won") + sum(allCloses, "lost"))));
    var allWon = filtered("won_deals", f, ["channel", "owner"]);
    setText("kpi-sales-cycle", fmt(ratio(sum(allWon, "cycle_days"), sum(allWon, "won")), 1) + " days");
  }

  function renderCoverage(f) {
    var byPeriod = groupBy(filtered("coverage", f, ["owner"]), "period_start_date");
    var periods = Object.keys(byPeriod).sort();
    plot("chart-coverage", [
      { type: "bar", x: periods, y: periods.map(function (p) { return sum(byPeriod[p], "quota"); }), name: "quota" },
      { type: "bar", x: periods, y: periods.map(function (p) { return sum(byPeriod[p], "pipeline"); }), name: "open pipeline" },
      { type: "bar", x: periods, y: periods.map(function (p) { return sum(byPeriod[p], "weighted"); }), name: "weighted pipeline" },
      { type: "scatter", mode: "lines+markers", x: periods, yaxis: "y2", name: "coverage",
        y: periods.map(function (p) { return ratio(sum(byPeriod[p], "pipeline"), sum(byPeriod[p], "quota")); }) }
    ], { barmode: "group", yaxis2: { overlaying: "y", side: "right", tickformat: ".0%" } });
  }

  function renderAttribution(f) {
    var list = filtered("attribution", f, ["channel"]);
    var byModel = groupBy(list, "model");
    var chans = distinct(list.map(function (r) { return r.channel; }));
    plot("chart-attribution", Object.keys(byModel).sort().map(function (model) {
      var byChannel = groupBy(byModel[model], "channel");
      return { type: "bar", name: model, x: chans,
        y: chans.map(function (c) { return byChannel[c] ? sum(byChannel[c], "revenue") : 0; }) };
    }), { barmode: "group", yaxis: { title: "attributed won revenue" } });
  }

  function renderMarketing(f) {
    var byChannel = groupBy(filtered("marketing", f, ["channel"]), "channel");
    var chans = Object.keys(byChannel).sort();
    function metric(fn) { return chans.map(function (c) { return fn(byChannel[c]); }); }
    plot("chart-spend", [{ type: "bar", x: chans, name: "spend", y: metric(function (l) { return sum(l, "spend"); }) }]);
    plot("chart-cpl", [{ type: "bar", x: chans, name: "CPL", y: metric(function (l) { return ratio(sum(l, "spend"), sum(l, "leads")); }) }]);
    plot("chart-cac", [{ type: "bar", x: chans, name: "CAC", y: metric(function (l) { return ratio(sum(l, "spend"), sum(l, "new_customers")); }) }]);
    plot("chart-roi", [{ type: "bar", x: chans, name: "ROI", y: metric(function (l) {
      var spend = sum(l, "spend"); return ratio(sum(l, "revenue") - spend, spend); }) }], { yaxis: { tickformat: ".0%" } });
  }

  function renderRevenue(f) {
    var list = filtered("mrr", f, []);
    if (list.length === 0) { plot("chart-mrr", []); plot("chart-churn", []); return; }
    var start = list[0].starting_mrr, end = list[list.length - 1].ending_mrr;
    var steps = ["new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr"];
    var values = steps.map(function (k) { return (k === "contraction_mrr" || k === "churned_mrr" ? -1 : 1) * sum(list, k); });
    plot("chart-mrr", [{
      type: "waterfall", x: ["starting MRR"].concat(steps.map(function (k) { return k.replace("_mrr", ""); }), ["ending MRR"]),
      y: [start].concat(values, [end]), measure: ["absolute", "relative", "relative", "relative", "relative", "relative", "total"],
      name: "MRR movements"
    }]);
    var churnMonths = list.map(function (r) { return r.month; });
    plot("chart-churn", [
      { type: "scatter", mode: "lines+markers", x: churnMonths, name: "customer churn %",
        y: list.map(function (r) { return r.customers_at_start ? 100 * r.churned_customers / r.customers_at_start : null; }) },
      { type: "scatter", mode: "lines+markers", x: churnMonths, name: "revenue churn %",
        y: list.map(function (r) { return r.starting_mrr ? 100 * (r.churned_mrr + r.contraction_mrr) / r.starting_mrr : null; }) }
    ], { yaxis: { title: "%" } });
    setText("kpi-net-new-mrr", fmt(sum(list, "net_new_mrr"), 2));
  }

  function render() {
    var f = filters();
    try {
      renderFunnel(f); renderDropOff(f); renderDurations(); renderSales(f); renderCoverage(f);
      renderAttribution(f); renderMarketing(f); renderRevenue(f);
      document.body.setAttribute("data-rendered", "true");
    } catch (problem) {
      recordError(problem && problem.stack ? problem.stack : problem);
    }
  }
  ["from", "to", "channel", "owner"].forEach(function (name) {
    document.getElementById("filter-" + name).addEventListener("change", render);
  });
  render();
})();

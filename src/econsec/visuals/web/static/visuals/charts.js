// Shared bar and line charts for any page (econsec.visuals.charts builds the spec; the template
// visuals/_chart.html puts it in a data-econsec-chart attribute). An ES module: load it after
// the vendored ECharts with
//   <script src="{% static 'visuals/vendor/echarts-6.1.0/echarts.min.js' %}" defer></script>
//   <script type="module" src="{% static 'visuals/charts.js' %}"></script>
// Nothing inline (the CSP forbids it): the spec is JSON text, tooltips are drawn on the canvas.
// Okabe-Ito colours, readable with the common colour-vision deficiencies.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

const drawn = (window.econsecCharts = window.econsecCharts || { drawn: {} });

function shown(v) {
  if (v === null || v === undefined) { return "—"; }
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString() : String(+v.toPrecision(4));
}

function barOption(spec) {
  const many = spec.labels.length > 8;
  return {
    xAxis: { type: "category", data: spec.labels, axisLabel: { rotate: many ? 35 : 0, interval: 0 } },
    yAxis: { type: "value", name: spec.unit },
    grid: { left: 70, right: 20, top: 30, bottom: many ? 90 : 40 },
    series: [{ type: "bar", data: spec.values, itemStyle: { color: PALETTE[0] } }],
    tooltip: { trigger: "item", renderMode: "richText",
      formatter: (p) => p.name + ": " + shown(p.value) + " " + spec.unit },
  };
}

function lineOption(spec) {
  return {
    xAxis: spec.x_type === "value"
      ? { type: "value", name: spec.x_label, nameLocation: "middle", nameGap: 28, scale: true }
      : { type: "category", data: spec.categories, name: spec.x_label, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: spec.y_label },
    grid: { left: 70, right: 20, top: 40, bottom: 50 },
    legend: { top: 0, data: spec.series.map((s) => s.name) },
    series: spec.series.map((s, i) => ({
      type: "line", name: s.name, data: s.data, showSymbol: s.data.length <= 60, connectNulls: false,
      // Colour and dash pattern both tell the lines apart.
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      lineStyle: { color: PALETTE[i % PALETTE.length], type: ["solid", "dashed", "dotted"][i % 3] },
    })),
    tooltip: { trigger: "axis", renderMode: "richText" },
  };
}

export function drawChart(el, spec) {
  const option = spec.kind === "line" ? lineOption(spec) : barOption(spec);
  const chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({ aria: { enabled: true }, animation: false, ...option });
  window.addEventListener("resize", () => chart.resize());
  drawn.drawn[el.id || spec.title] = {
    kind: spec.kind,
    points: spec.kind === "line" ? spec.series.reduce((n, s) => n + s.data.length, 0) : spec.values.length,
    total: spec.kind === "bar" ? spec.values.reduce((a, v) => a + (v || 0), 0) : null,
  };
  return chart;
}

export function drawAll(root = document) {
  if (typeof echarts === "undefined") { return; }
  root.querySelectorAll("[data-econsec-chart]").forEach((el) => {
    if (el.dataset.drawn) { return; }
    el.dataset.drawn = "1";
    try {
      drawChart(el, JSON.parse(el.dataset.econsecChart));
    } catch (e) {
      el.textContent = String(e);
    }
  });
}

drawAll();

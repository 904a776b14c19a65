// Draws the map, the tier-flow Sankey and a product's network from their JSON endpoints with
// the vendored Apache ECharts. No inline script or style (the CSP forbids both): tooltips are
// drawn on the canvas (renderMode "richText") instead of as HTML.
(function () {
  "use strict";
  // Okabe-Ito: readable with the common colour-vision deficiencies.
  var CLASS = { spof: "#D55E00", at_risk: "#E69F00", none: "#56B4E9", own: "#009E73" };
  var FOOTPRINT = "#E67800"; // an event's footprint on its map (orange)
  var drawn = (window.econsecVisuals = window.econsecVisuals || {});

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }

  function chartIn(el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function money(v, currency) {
    return Math.round(v).toLocaleString() + " " + currency;
  }

  // Web Mercator, the projection XYZ tiles are cut in: used only when a tile server is set
  // (ECONSEC_MAP_TILES); the shipped outline is drawn in plain longitude/latitude otherwise.
  var MAX_LAT = 85.0511;
  var MERCATOR = {
    project: function (p) {
      var lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, p[1])) * Math.PI / 180;
      return [p[0] * Math.PI / 180, -Math.log(Math.tan(Math.PI / 4 + lat / 2))];
    },
    unproject: function (p) {
      return [p[0] * 180 / Math.PI, (2 * Math.atan(Math.exp(-p[1])) - Math.PI / 2) * 180 / Math.PI];
    },
  };

  // The tiles covering the visible part of the map, as images under the outline. At most 64
  // are asked for at a time; they are redrawn when the map is moved or zoomed.
  function drawTiles(chart, template) {
    var west = chart.convertToPixel({ geoIndex: 0 }, [-180, 0]);
    var east = chart.convertToPixel({ geoIndex: 0 }, [180, 0]);
    var top = chart.convertToPixel({ geoIndex: 0 }, [0, MAX_LAT])[1];
    var world = east[0] - west[0];
    if (!(world > 0)) { return 0; }
    var z = Math.max(0, Math.min(18, Math.round(Math.log(world / 256) / Math.LN2)));
    var n = Math.pow(2, z), size = world / n;
    var x0 = Math.max(0, Math.floor(-west[0] / size)), x1 = Math.min(n - 1, Math.floor((chart.getWidth() - west[0]) / size));
    var y0 = Math.max(0, Math.floor(-top / size)), y1 = Math.min(n - 1, Math.floor((chart.getHeight() - top) / size));
    var elements = [];
    for (var y = y0; y <= y1; y++) {
      for (var x = x0; x <= x1 && elements.length < 64; x++) {
        elements.push({
          type: "image", silent: true, z: -100,
          style: {
            image: template.replace("{z}", z).replace("{x}", x).replace("{y}", y),
            x: west[0] + x * size, y: top + y * size, width: size, height: size,
          },
        });
      }
    }
    chart.setOption({ graphic: { elements: elements } }, { replaceMerge: ["graphic"] });
    return elements.length;
  }

  // The map's data from its endpoint, or from a JSON data block in the page (data-inline: an
  // event's map is drawn from what its page carries).
  function mapData(el) {
    if (el.dataset.inline) {
      var block = document.getElementById(el.dataset.inline);
      return Promise.resolve(JSON.parse(block ? block.textContent : "null"));
    }
    return getJSON(el.dataset.src);
  }

  function drawMap(el) {
    var tiles = el.dataset.tiles || "";
    var key = el.dataset.drawn || "map";
    Promise.all([mapData(el), getJSON(el.dataset.geo)]).then(function (got) {
      var data = got[0];
      echarts.registerMap("world", got[1]);
      var points = data.sites || data.clusters || [];
      var maxValue = Math.max.apply(null, points.map(function (s) { return s.annual_value; }).concat([1]));
      var size = function (v) { return 5 + 20 * Math.sqrt(v / maxValue); };
      var byClass = {};
      (data.sites || []).forEach(function (s) {
        (byClass[s.exposure] = byClass[s.exposure] || []).push({
          name: s.name, value: [s.lon, s.lat, s.annual_value], site: s,
        });
      });
      var series = [{
        type: "map", map: "world", geoIndex: 0, name: "countries",
        data: Object.keys(data.countries).map(function (c) {
          return { name: c, value: data.countries[c] };
        }),
      }];
      Object.keys(byClass).forEach(function (cls) {
        series.push({
          type: "scatter", coordinateSystem: "geo", name: data.classes[cls],
          itemStyle: { color: CLASS[cls], borderColor: "#222", borderWidth: cls === "spof" ? 1.5 : 0.5 },
          symbolSize: function (v) { return size(v[2]); }, data: byClass[cls],
          zlevel: cls === "spof" ? 2 : 1,
        });
      });
      if (data.clusters) {
        series.push({
          type: "scatter", coordinateSystem: "geo", name: data.classes.at_risk,
          itemStyle: { color: CLASS.at_risk },
          symbolSize: function (v) { return size(v[2]); },
          data: data.clusters.map(function (c) {
            return { name: c.sites + " · " + c.countries.join(","), value: [c.lon, c.lat, c.annual_value] };
          }),
        });
      }
      var rings = data.footprint || [];
      if (rings.length) {
        // The event's footprint: a circle (as a ring of points) and polygons, in orange.
        series.push({
          type: "custom", coordinateSystem: "geo", name: data.footprint_name, silent: true,
          itemStyle: { color: FOOTPRINT },
          data: rings.map(function (ring, i) { return { name: data.footprint_name, value: ring[0].concat([i]) }; }),
          renderItem: function (params, api) {
            var ring = rings[params.dataIndex];
            return {
              type: "polygon", shape: { points: ring.map(function (c) { return api.coord(c); }) },
              style: { fill: "rgba(230, 120, 0, 0.22)", stroke: FOOTPRINT, lineWidth: 2 },
            };
          },
          zlevel: 0, z: 3,
        });
      }
      series.push({
        type: "scatter", coordinateSystem: "geo", name: "chokepoints", symbol: "diamond",
        symbolSize: 9, itemStyle: { color: "#000" },
        data: data.chokepoints.map(function (c) { return { name: c.name, value: [c.lon, c.lat, 0] }; }),
      });
      var chart = chartIn(el);
      var view = data.view;
      chart.setOption({
        aria: { enabled: true },
        animation: false, // drawn at once: what a screenshot or a reader sees is complete
        tooltip: {
          renderMode: "richText",
          formatter: function (p) {
            if (p.seriesType === "map") {
              var name = data.country_names[p.name] || p.name;
              return isNaN(p.value) ? name : name + ": " + (100 * p.value).toFixed(1) + "%";
            }
            var s = p.data && p.data.site;
            if (!s) { return p.name; }
            return s.name + " (" + s.site_id + ")\n" + data.classes[s.exposure] + "\n" +
              money(s.revenue_at_risk_per_week, data.currency) + " / w";
          },
        },
        legend: { bottom: 0, data: Object.keys(byClass).map(function (c) { return data.classes[c]; })
          .concat(rings.length ? [data.footprint_name] : []) },
        visualMap: {
          seriesIndex: 0, min: 0, max: Math.max.apply(null, Object.values(data.countries).concat([0.01])),
          inRange: { color: ["#f0f0f0", "#6a51a3"] }, calculable: false, left: 10, bottom: 40,
          formatter: function (v) { return (100 * v).toFixed(0) + "%"; },
        },
        geo: tiles ? {
          // With a projection ECharts takes the centre in projected coordinates.
          map: "world", roam: true, zoom: 1.2, center: MERCATOR.project([110, 20]), projection: MERCATOR,
          itemStyle: { areaColor: "rgba(0,0,0,0)", borderColor: "#555" }, emphasis: { disabled: true },
        } : { map: "world", roam: true, zoom: view ? view.zoom : 1.2, center: view ? view.center : [110, 20],
          itemStyle: { areaColor: "#f7f7f7", borderColor: "#999" }, emphasis: { disabled: true } },
        series: series,
      });
      var tileCount = 0;
      if (tiles) {
        // Country shading stays readable over the tiles.
        chart.setOption({ series: [{ itemStyle: { opacity: 0.55 } }] });
        tileCount = drawTiles(chart, tiles);
        chart.on("georoam", function () { drawn[key].tiles = drawTiles(chart, tiles); });
        window.addEventListener("resize", function () { drawTiles(chart, tiles); });
      }
      chart.on("click", function (p) {
        if (p.data && p.data.site) { window.location.href = "/valuechain/sites/" + encodeURIComponent(p.data.site.site_id) + "/"; }
      });
      drawn[key] = {
        markers: points.length,
        spof: (byClass.spof || []).map(function (d) { return d.site.site_id; }),
        countries: data.supplier_countries.length,
        tiles: tileCount,
        footprint: rings.length,
        vertices: rings.map(function (r) { return r.length; }),
      };
    }).catch(function (e) { el.textContent = String(e); });
  }

  function drawSankey(el) {
    getJSON(el.dataset.src).then(function (data) {
      var chart = chartIn(el);
      var labels = {};
      data.sankey.nodes.forEach(function (n) { labels[n.name] = n.label; });
      chart.setOption({
        aria: { enabled: true },
        animation: false, // drawn at once: what a screenshot or a reader sees is complete
        tooltip: { renderMode: "richText", formatter: function (p) {
          if (p.dataType === "edge") { return labels[p.data.source] + " → " + labels[p.data.target] + "\n" + money(p.value, data.currency); }
          return labels[p.name] + "\n" + money(p.value, data.currency);
        } },
        series: [{
          type: "sankey", left: 20, right: 140, nodeAlign: "right", orient: "horizontal",
          // Every link goes from step s+1 to step s, so aligning on the sinks puts each node in
          // its step's column (explicit depths pushed the last columns off the canvas).
          data: data.sankey.nodes.map(function (n) { return { name: n.name }; }),
          links: data.sankey.links,
          label: { position: "right", color: "#222", formatter: function (p) { return labels[p.name]; } },
          lineStyle: { color: "gradient", opacity: 0.4 },
        }],
      });
      drawn.sankey = { nodes: data.sankey.nodes.length, links: data.sankey.links.length, into_own: data.into_own };
    }).catch(function (e) { el.textContent = String(e); });
  }

  function drawNetwork(el) {
    getJSON(el.dataset.src).then(function (data) {
      var chart = chartIn(el);
      var maxEdge = Math.max.apply(null, data.edges.map(function (e) { return e.value; }).concat([1]));
      // Columns as far apart as the tallest column is high, so the picture fills the box.
      var rows = {}, tiers = 1;
      data.nodes.forEach(function (n) { rows[n.tier] = (rows[n.tier] || 0) + 1; tiers = Math.max(tiers, n.tier + 1); });
      var tallest = Math.max.apply(null, Object.values(rows).concat([1]));
      var dx = Math.max(200, tallest * 40 * 1.8 / Math.max(1, tiers - 1));
      var many = data.nodes.length > 40;
      chart.setOption({
        aria: { enabled: true },
        animation: false, // drawn at once: what a screenshot or a reader sees is complete
        tooltip: { renderMode: "richText", formatter: function (p) {
          if (p.dataType === "edge") { return p.data.source + " → " + p.data.target + "\n" + money(p.data.amount, data.currency); }
          var n = p.data.node, text = p.data.labelText + " (" + p.data.country_name + ")";
          if (n.cover) { text += "\n" + n.cover + (n.short ? "  " + data.short_label : ""); }
          return text;
        } },
        series: [{
          type: "graph", layout: "none", roam: true, draggable: false,
          edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
          label: { show: true, position: "right", fontSize: 10, formatter: function (p) { return p.data.id; } },
          data: data.nodes.map(function (n) {
            return {
              id: n.id, name: n.id, x: n.x * dx, y: n.y * 40, label_: n.label,
              country_name: n.country_name, node: n, symbolSize: n.spof || n.short ? 16 : 10,
              // Time to survive below time to recover: a diamond (shape, not only colour).
              symbol: n.short ? "diamond" : "circle",
              itemStyle: n.spof ? { color: "#D55E00", borderColor: "#000", borderWidth: 2 }
                : n.short ? { color: "#CC79A7", borderColor: "#000", borderWidth: 1.5 } : { color: "#56B4E9" },
            };
          }).map(function (d, i) {
            d.labelText = d.label_; delete d.label_;
            // With many sites only the single points of failure carry a name.
            if (many && !data.nodes[i].spof && !data.nodes[i].short) { d.label = { show: false }; }
            return d;
          }),
          links: data.edges.map(function (e) {
            return { source: e.source, target: e.target, amount: e.value,
              lineStyle: { width: 0.5 + 5 * Math.sqrt(e.value / maxEdge), color: "#999", opacity: 0.7 } };
          }),
        }],
      });
      drawn.network = {
        nodes: data.nodes.length, edges: data.edges.length, spof: data.spof,
        short: data.nodes.filter(function (n) { return n.short; }).map(function (n) { return n.id; }),
      };
    }).catch(function (e) { el.textContent = String(e); });
  }

  function start() {
    if (typeof echarts === "undefined") { return; }
    var draw = { map: drawMap, sankey: drawSankey, network: drawNetwork };
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var f = draw[el.dataset.chart];
      if (f) { f(el); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

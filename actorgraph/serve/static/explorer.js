// actorgraph explorer: name completion and network views. Every value from the graph is set as text.
"use strict";
(function () {
  function debounce(fn, ms) {
    var timer = null;
    return function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, ms); };
  }

  // name completion: inputs with data-complete="DATALIST-ID" ask /api/search as the user types
  document.querySelectorAll("input[data-complete]").forEach(function (input) {
    var list = document.getElementById(input.dataset.complete);
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { return; }
      fetch("/api/search?limit=12&q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (data) {
        list.replaceChildren();
        (data.results || []).forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.name;
          option.label = item.kind;
          list.appendChild(option);
        });
        window.actorgraphCompleted = (window.actorgraphCompleted || 0) + 1;
      });
    }, 120));
  });

  function shortName(name) { name = String(name); return name.length > 28 ? name.slice(0, 27) + "…" : name; }
  function visNode(n, centre) {
    return {id: n.id, label: shortName(n.name), title: n.name + " (" + n.kind + ")", shape: n.shape, year: n.year,
            color: {background: n.colour, border: n.id === centre ? "#111" : "#0006"},
            borderWidth: n.id === centre ? 4 : 1, size: n.id === centre ? 18 : 12,
            x: n.x, y: n.y, fixed: false};
  }
  function visEdge(e) {
    // a link the source does not state as fact (expected, planned, ...) is dashed and says how it is put
    var hedged = e.modality && e.modality !== "stated";
    return {id: e.from + ">" + e.label + ">" + e.to, from: e.from, to: e.to, year: e.year, title: e.title,
            label: hedged ? e.label + " (" + e.modality + ")" : e.label, dashes: hedged};
  }

  document.querySelectorAll(".network-box").forEach(function (box) {
    var holder = box.querySelector(".network");
    var nodes = new vis.DataSet(), edges = new vis.DataSet();
    var range = {from: null, to: null};
    function inRange(year) {
      return year === null || year === undefined ||
        ((range.from === null || year >= range.from) && (range.to === null || year <= range.to));
    }
    var nodeView = new vis.DataView(nodes, {filter: function (n) { return inRange(n.year); }});
    var edgeView = new vis.DataView(edges, {filter: function (e) {
      return inRange(e.year) && nodeView.get(e.from) !== null && nodeView.get(e.to) !== null;
    }});
    var centre = null;
    function add(data) {
      centre = centre || data.centre;
      nodes.update(data.nodes.filter(function (n) { return nodes.get(n.id) === null; }).map(function (n) { return visNode(n, centre); }));
      edges.update(data.edges.map(visEdge));
    }
    var network = new vis.Network(holder, {nodes: nodeView, edges: edgeView}, {
      nodes: {font: {size: 13, face: "sans-serif", strokeWidth: 3, strokeColor: "#fff"}},
      edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, font: {size: 8, color: "#666", align: "middle"},
              color: {color: "#aab", highlight: "#333"}, smooth: false},
      physics: {solver: "forceAtlas2Based", forceAtlas2Based: {gravitationalConstant: -50, springLength: 110},
                stabilization: {iterations: 200}},
      interaction: {hover: true, tooltipDelay: 150}
    });
    window.actorgraphNetworks = (window.actorgraphNetworks || []).concat([network]);
    network.on("stabilizationIterationsDone", function () { network.setOptions({physics: {enabled: false}}); box.dataset.ready = "1"; });
    network.on("click", function (params) {
      if (!params.nodes.length) { return; }
      var id = params.nodes[0];
      fetch("/api/node/" + encodeURIComponent(id) + "/network").then(function (r) { return r.json(); }).then(function (data) {
        if (!data.nodes) { return; }
        var at = network.getPosition(id);
        data.nodes.forEach(function (n, i) {  // new nodes start around the one clicked, then physics spreads them
          n.x = at.x + 60 * Math.cos(i); n.y = at.y + 60 * Math.sin(i);
        });
        network.setOptions({physics: {enabled: true}});
        add({centre: centre, nodes: data.nodes, edges: data.edges});
        box.dataset.expanded = id;
        setTimeout(function () { network.setOptions({physics: {enabled: false}}); }, 1500);
      });
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { window.location.href = "/node/" + encodeURIComponent(params.nodes[0]); }
    });
    var from = box.querySelector(".year-from"), to = box.querySelector(".year-to");
    function readYears() {
      range.from = from.value === "" ? null : Number(from.value);
      range.to = to.value === "" ? null : Number(to.value);
      nodeView.refresh(); edgeView.refresh();
    }
    from.addEventListener("input", readYears); to.addEventListener("input", readYears);
    function first(data) {
      add(data);
      if (data.nodes.length && data.nodes[0].x !== undefined) {  // laid out by the server: no physics
        network.setOptions({physics: {enabled: false}});
        network.once("afterDrawing", function () { network.fit({animation: false}); box.dataset.ready = "1"; });
        network.redraw();
      } else {
        network.stabilize(150);
      }
    }
    if (holder.dataset.api) {
      fetch(holder.dataset.api).then(function (r) { return r.json(); }).then(first);
    } else if (holder.dataset.graph) {
      first(JSON.parse(document.getElementById(holder.dataset.graph).textContent));
    }
  });
})();

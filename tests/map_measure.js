// Reads a settled map in the page: every label's box, the overlaps between them, and what lies under the panel.
(function () {
  var graphRect = document.getElementById("graph").getBoundingClientRect();
  var panelRect = document.getElementById("panel").getBoundingClientRect();
  var ids = network.body.data.nodes.getIds();
  var boxes = ids.map(function (id) {
    var node = network.body.nodes[id];
    var size = node.labelModule.size;
    // shapes with the label inside (box, ellipse, ...) leave size.left/top unset: the label is centred on the node
    var inside = ["box", "ellipse", "database", "circle", "text"].indexOf(node.options.shape) >= 0;
    var left = inside ? node.x - size.width / 2 : size.left, top = inside ? node.y - size.height / 2 : size.top;
    return {id: id, degree: network.getConnectedNodes(id).length, x: node.x, y: node.y,
            left: left, top: top, right: left + size.width, bottom: top + size.height};
  }).filter(function (b) { return b.right > b.left && b.bottom > b.top; });
  var overlaps = [];
  for (var i = 0; i < boxes.length; i++) {
    for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if (a.degree < 3 && b.degree < 3) { continue; }
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        overlaps.push([a.id, b.id]);
      }
    }
  }
  var underPanel = boxes.filter(function (b) {
    var tl = network.canvasToDOM({x: b.left, y: b.top}), br = network.canvasToDOM({x: b.right, y: b.bottom});
    var left = Math.max(graphRect.left + tl.x, graphRect.left), right = Math.min(graphRect.left + br.x, graphRect.right);
    var top = Math.max(graphRect.top + tl.y, graphRect.top), bottom = Math.min(graphRect.top + br.y, graphRect.bottom);
    if (right <= left || bottom <= top) { return false; }  // off screen
    return left < panelRect.right && right > panelRect.left && top < panelRect.bottom && bottom > panelRect.top;
  }).map(function (b) { return b.id; });
  return {labels: boxes.length, degree3: boxes.filter(function (b) { return b.degree >= 3; }).length,
          overlaps: overlaps, underPanel: underPanel};
})()

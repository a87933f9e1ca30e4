// The HTML report's filters: by severity, by rule, and by the node clicked in the picture.
// The findings' elements are never walked: findings are hidden by attribute selectors in
// one generated style sheet, and groups (rule groups, files) left empty by their ids,
// worked out from the compact array in #gw-data ([severity, rule, node, group] per
// finding). A click costs one pass over that array and one style sheet, at any size.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gw-data").textContent);
  var sheet = document.getElementById("gw-filter");
  var controls = document.getElementById("gw-controls");
  var ruleSelect = document.getElementById("gw-rule");
  var count = document.getElementById("gw-count");
  var info = document.getElementById("gw-node-info");
  var graph = document.querySelector(".gw-graph");
  var state = { sevs: { error: true, warning: true, info: true }, rule: "", node: -1 };
  var selected = null;

  // The file of each group, read once from the files' data-groups.
  var fileOfGroup = new Int32Array(data.groups);
  var files = document.querySelectorAll("section.file");
  for (var fi = 0; fi < files.length; fi++) {
    var groups = files[fi].getAttribute("data-groups").split(" ");
    for (var gi = 0; gi < groups.length; gi++) {
      if (groups[gi] !== "") fileOfGroup[+groups[gi]] = fi;
    }
  }

  document.documentElement.classList.add("js");
  controls.hidden = false;

  function visible(f) {
    return state.sevs[data.severities[f[0]]] &&
      (state.rule === "" || data.rules[f[1]] === state.rule) &&
      (state.node < 0 || f[2] === state.node);
  }

  function apply() {
    var hide = [];
    data.severities.forEach(function (s) {
      if (!state.sevs[s]) hide.push('.finding[data-sev="' + s + '"]');
    });
    if (state.rule !== "") hide.push('.finding:not([data-rule="' + state.rule + '"])');
    if (state.node >= 0) hide.push('.finding:not([data-node="' + state.node + '"])');
    var shown = 0;
    var inGroup = new Uint32Array(data.groups);
    var inFile = new Uint32Array(files.length);
    for (var i = 0; i < data.findings.length; i++) {
      var f = data.findings[i];
      if (visible(f)) {
        shown++;
        inGroup[f[3]]++;
        inFile[fileOfGroup[f[3]]]++;
      }
    }
    for (var g = 0; g < data.groups; g++) {
      if (!inGroup[g]) hide.push("#gw-group-" + g);
    }
    for (var k = 0; k < files.length; k++) {
      if (!inFile[k]) hide.push("#" + files[k].id);
    }
    sheet.textContent = hide.length ? hide.join(",\n") + "{display:none}" : "";
    count.textContent = shown + " of " + data.findings.length + " findings shown";
  }

  function selectNode(n) {
    if (selected) selected.classList.remove("selected");
    selected = null;
    state.node = n;
    if (n < 0) {
      if (info) info.hidden = true;
      apply();
      return;
    }
    selected = graph && graph.querySelector('.gw-node[data-node="' + n + '"]');
    if (selected) selected.classList.add("selected");
    var node = data.nodes[n] || {};
    var mine = 0;
    for (var i = 0; i < data.findings.length; i++) {
      if (data.findings[i][2] === n) mine++;
    }
    if (info) {
      info.textContent = (node.title || "") +
        "\n" + (node.source ? "written at " + node.source : "not in the inputs") +
        "\n" + mine + (mine === 1 ? " finding" : " findings") + " about it (the list below shows only these)";
      info.hidden = false;
    }
    apply();
  }

  controls.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name === "sev") {
      state.sevs[t.value] = t.checked;
    } else if (t === ruleSelect) {
      state.rule = t.value;
    }
    apply();
  });
  document.getElementById("gw-clear").addEventListener("click", function () {
    var boxes = controls.querySelectorAll('input[name="sev"]');
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = true;
      state.sevs[boxes[i].value] = true;
    }
    ruleSelect.value = "";
    state.rule = "";
    selectNode(-1);
  });
  if (graph) {
    graph.addEventListener("click", function (e) {
      var g = e.target.closest(".gw-node");
      if (g) selectNode(+g.getAttribute("data-node"));
    });
    graph.addEventListener("keydown", function (e) {
      var g = e.target.closest(".gw-node");
      if (g && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        selectNode(+g.getAttribute("data-node"));
      }
    });
  }
  document.getElementById("gw-findings").addEventListener("click", function (e) {
    var a = e.target.closest("a.to-node");
    if (a) selectNode(+a.getAttribute("data-node"));
  });
  apply();
})();

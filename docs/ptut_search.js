// The full-text search of the tutorial's pages (docs/search.md): lunr.js over the
// sections docs/finish_site.py indexed at docs build. Results appear as you type;
// ?q=words in the address searches at once.
(function () {
  "use strict";
  function start() {
    var input = document.getElementById("ptut-search-input");
    var list = document.getElementById("ptut-search-results");
    if (!input || !list || typeof lunr === "undefined" || typeof ptutSections === "undefined") return;
    var byUrl = {};
    var index = lunr(function () {
      this.ref("url");
      this.field("title", {boost: 8});
      this.field("page", {boost: 2});
      this.field("text");
      this.metadataWhitelist = ["position"];
      for (var k = 0; k < ptutSections.length; k++) {
        this.add(ptutSections[k]);
        byUrl[ptutSections[k].url] = ptutSections[k];
      }
    });
    // A few words of the text around the first match, for the result's line.
    function excerpt(section, result) {
      var text = section.text;
      var first = null;
      Object.keys(result.matchData.metadata).forEach(function (term) {
        var fields = result.matchData.metadata[term];
        if (fields.text && fields.text.position) {
          var at = fields.text.position[0][0];
          if (first === null || at < first) first = at;
        }
      });
      if (first === null) return text.slice(0, 160);
      var from = Math.max(0, first - 60);
      return (from > 0 ? "… " : "") + text.slice(from, from + 180) + " …";
    }
    function show(query) {
      list.textContent = "";
      var words = query.trim();
      if (!words) return;
      var results;
      try {
        // Every word must be there (+word), in any form lunr's stemmer makes of it.
        results = index.search(words.split(/\s+/).map(function (w) { return "+" + w; }).join(" "));
      } catch (error) {
        results = [];
      }
      if (!results.length) {
        var none = document.createElement("li");
        none.textContent = "Nothing on the pages mentions all of: " + words;
        list.appendChild(none);
        return;
      }
      results.slice(0, 25).forEach(function (result) {
        var section = byUrl[result.ref];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = section.url;
        link.textContent = section.page + (section.title !== section.page ? " — " + section.title : "");
        var text = document.createElement("div");
        text.className = "ptut-search-excerpt";
        text.textContent = excerpt(section, result);
        item.appendChild(link);
        item.appendChild(text);
        list.appendChild(item);
      });
    }
    input.addEventListener("input", function () { show(input.value); });
    var asked = new URLSearchParams(window.location.search).get("q");
    if (asked) {
      input.value = asked;
      show(asked);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

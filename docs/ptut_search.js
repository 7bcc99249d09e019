// The full-text search of the tutorial's pages (docs/search.md): lunr.js over the
// sections docs/finish_site.py indexed at docs build. Results appear as you type;
// ?q=words in the address searches at once.
(function () {
  "use strict";
  function start() {
    var input = document.getElementById("ptut-search-input");
    var list = document.getElementById("ptut-search-results");
    if (!input || !list || typeof lunr === "undefined" || typeof ptutSections === "undefined") return;
    // Words split where code joins them too: "std::jthread", "memory_order_relaxed"
    // and "Amdahl's" are indexed as their parts, so "jthread", "memory_order" and
    // "Amdahl" find them; a query goes through the same split, so "std::async" is
    // two words, not lunr's field syntax. (Not at "." or ",": numbers stay whole.)
    lunr.tokenizer.separator = /[\s\-_:'\u2019\/()<>;"]+/;
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
    // A few words of the text around the first match, for the result's line, with
    // every matched word in it marked: an element to show.
    function excerpt(section, result) {
      var text = section.text;
      var matches = [];
      Object.keys(result.matchData.metadata).forEach(function (term) {
        var fields = result.matchData.metadata[term];
        if (fields.text && fields.text.position) matches = matches.concat(fields.text.position);
      });
      matches.sort(function (a, b) { return a[0] - b[0]; });
      var from = matches.length ? Math.max(0, matches[0][0] - 60) : 0;
      var to = Math.min(text.length, from + 180);
      var shown = document.createElement("div");
      shown.className = "ptut-search-excerpt";
      var at = from;
      function plain(upTo) {
        if (upTo > at) shown.appendChild(document.createTextNode(text.slice(at, upTo)));
      }
      if (from > 0) shown.appendChild(document.createTextNode("… "));
      matches.forEach(function (match) {
        var start = match[0], end = match[0] + match[1];
        if (start < at || end > to) return;
        plain(start);
        var mark = document.createElement("mark");
        mark.textContent = text.slice(start, end);
        shown.appendChild(mark);
        at = end;
      });
      plain(to);
      if (to < text.length) shown.appendChild(document.createTextNode(" …"));
      return shown;
    }
    function show(query) {
      list.textContent = "";
      var words = query.trim();
      if (!words) return;
      var results;
      // The query's words, split as the pages were; a one-letter part (the "s" of a
      // possessive) and words too common to be indexed ("the", "of") are dropped.
      var terms = lunr.tokenizer(words).map(String).filter(function (term) {
        return term.length > 1 && lunr.stopWordFilter(term) !== undefined;
      });
      try {
        // Every word must be there, in any form lunr's stemmer makes of it.
        results = terms.length === 0 ? [] : index.query(function (query) {
          terms.forEach(function (term) {
            query.term(term, {presence: lunr.Query.presence.REQUIRED});
          });
        });
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
        item.appendChild(link);
        item.appendChild(excerpt(section, result));
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

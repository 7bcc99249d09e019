// The site's one search: the box at the top of every page's side bar lists results
// as you type, and Enter opens them all on the search page (docs/search.md, where
// ?q=words in the address searches at once). It searches three things, in this order:
//
//   1. the concept index: a query that names a concept lists first the sections the
//      index links for it, where it is taught ("race" finds chapter 2's race before
//      the pages that mention one);
//   2. the pages' sections, by lunr's ranking (title, concepts, page, text);
//   3. the names in the code (Doxygen's tag file), after all prose.
//
// docs/finish_site.py writes the records (ptut_search_index.js); lunr.js is the
// client-side search library (Debian's libjs-lunr). Both load on first use, so a
// page that is only read pays nothing for them.
var PtutSearch = (function () {
  "use strict";
  var root = typeof ptutRoot === "string" ? ptutRoot : "";
  var ready = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root + src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }

  // Words split where code joins them too: "std::jthread", "memory_order_relaxed"
  // and "Amdahl's" are indexed as their parts, so "jthread", "memory_order" and
  // "Amdahl" find them; a query goes through the same split, so "std::async" is
  // two words, not lunr's field syntax. (Not at "." or ",": numbers stay whole.)
  // Camel-cased words ("ThreadSanitizer") are split at build, into a field of
  // their own.
  var SEPARATOR = /[\s\-_:'\u2019\/()<>;"]+/;

  function build() {
    lunr.tokenizer.separator = SEPARATOR;
    var byUrl = {};
    var index = lunr(function () {
      this.ref("url");
      this.field("title", {boost: 8});
      this.field("concepts", {boost: 4});
      this.field("page", {boost: 2});
      this.field("text");
      this.field("parts");
      this.metadataWhitelist = ["position"];
      for (var k = 0; k < ptutSections.length; k++) {
        this.add(ptutSections[k]);
        byUrl[ptutSections[k].url] = ptutSections[k];
      }
    });
    var concepts = lunr(function () {
      this.ref("row");
      this.field("words");
      for (var k = 0; k < ptutConcepts.length; k++) {
        this.add({row: String(k), words: ptutConcepts[k].words + " " + ptutConcepts[k].parts});
      }
    });
    return {index: index, concepts: concepts, byUrl: byUrl};
  }

  // The search, once lunr and the records are loaded: a Promise.
  function load() {
    if (!ready) {
      ready = (typeof lunr === "undefined" ? loadScript("lunr.min.js") : Promise.resolve())
        .then(function () {
          return typeof ptutSections === "undefined" ? loadScript("ptut_search_index.js") : null;
        })
        .then(build);
    }
    return ready;
  }

  // The query's words, split as the pages were; a one-letter part (the "s" of a
  // possessive) and words too common to be indexed ("the", "of") are dropped.
  function terms(words) {
    return lunr.tokenizer(words).map(String).filter(function (term) {
      return term.length > 1 && lunr.stopWordFilter(term) !== undefined;
    });
  }

  function every(index, wanted) {
    if (!wanted.length) return [];
    try {
      // Every word must be there, in any form that starts as its stem does:
      // lunr's stemmer alone makes "reduc" of "reduce" but "reduct" of
      // "reduction", so "mpi reduce" would miss "The reduction is a tree".
      return index.query(function (query) {
        wanted.forEach(function (term) {
          var stem = lunr.stemmer(new lunr.Token(term)).toString();
          query.term(stem, {presence: lunr.Query.presence.REQUIRED, usePipeline: false,
                            wildcard: stem.length > 2 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE});
        });
      });
    } catch (error) {
      return [];
    }
  }

  // A query that is one name as code writes it ("write_all", "std::jthread",
  // "WatchedSlices"): the record of that very name comes first of all.
  var IDENTIFIER = /^\s*[A-Za-z_][\w:]*\s*$/;
  function namesCode(words) {
    return IDENTIFIER.test(words) && /_|::|[a-z][A-Z]/.test(words);
  }

  // [{record, match}] for WORDS, best first: the sections of the concept that
  // fits the query best, then the other sections, then names in the code.
  function find(search, words) {
    var wanted = terms(words);
    var found = every(search.index, wanted);
    var matchOf = {};
    found.forEach(function (match) { matchOf[match.ref] = match; });
    var ordered = [];
    var placed = {};
    // Of the concepts the query names, the first in the index's order: the index
    // follows the chapters, so that is where the idea is first taught.
    var rows = every(search.concepts, wanted).map(function (match) { return Number(match.ref); });
    if (rows.length) {
      ptutConcepts[Math.min.apply(null, rows)].urls.forEach(function (url) {
        if (search.byUrl[url] && !placed[url]) {
          placed[url] = true;
          ordered.push({record: search.byUrl[url], match: matchOf[url] || null});
        }
      });
    }
    var code = [];
    var exact = [];
    var name = words.trim().toLowerCase();
    found.forEach(function (match) {
      if (placed[match.ref]) return;
      var record = search.byUrl[match.ref];
      var title = record.title.toLowerCase().replace(/\(\)$/, "");
      if (record.kind === "code" && namesCode(words) &&
          (title === name || title.slice(-name.length - 2) === "::" + name)) {
        exact.push({record: record, match: match});
      } else {
        (record.kind === "code" ? code : ordered).push({record: record, match: match});
      }
    });
    // a class's or a file's own page before its members of the same name (the
    // constructor of WatchedSlices is "WatchedSlices" too)
    exact.sort(function (a, b) {
      return (a.record.url.indexOf("#") >= 0) - (b.record.url.indexOf("#") >= 0);
    });
    return exact.concat(ordered, code);
  }

  // A few words of the text around the first match, for the result's line, with
  // every matched word in it marked: an element to show.
  function excerpt(record, match) {
    var text = record.text;
    var spans = [];
    if (match) {
      Object.keys(match.matchData.metadata).forEach(function (term) {
        var fields = match.matchData.metadata[term];
        if (fields.text && fields.text.position) spans = spans.concat(fields.text.position);
      });
    }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var from = spans.length ? Math.max(0, spans[0][0] - 60) : 0;
    if (from > 0) {  // from the start of a word
      var space = text.indexOf(" ", from);
      from = space >= 0 && space < spans[0][0] ? space + 1 : from;
    }
    var to = Math.min(text.length, from + 180);
    var stop = text.lastIndexOf(" ", to);
    if (to < text.length && stop > from + 120) to = stop;
    var shown = document.createElement("div");
    shown.className = "ptut-search-excerpt";
    var at = from;
    function plain(upTo) {
      if (upTo > at) shown.appendChild(document.createTextNode(text.slice(at, upTo)));
    }
    if (from > 0) shown.appendChild(document.createTextNode("… "));
    spans.forEach(function (span) {
      var start = span[0], end = span[0] + span[1];
      // the word, not the comma or full stop lunr kept with it
      while (end > start + 1 && /[^\w]/.test(text.charAt(end - 1))) end--;
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

  // One result as a list item: the section's page and title as a link, the
  // excerpt below it.
  function item(result) {
    var record = result.record;
    var entry = document.createElement("li");
    entry.setAttribute("role", "option");
    var link = document.createElement("a");
    link.href = root + record.url;
    if (record.kind === "code") {
      var code = document.createElement("code");
      code.textContent = record.title;
      link.appendChild(code);
      link.appendChild(document.createTextNode(" — in the code's reference"));
    } else {
      link.textContent = record.page + (record.title !== record.page ? " — " + record.title : "");
    }
    entry.appendChild(link);
    entry.appendChild(excerpt(record, result.match));
    return entry;
  }

  // Fills LIST with the results for WORDS (at most LIMIT), and returns how many
  // there were in all.
  function show(search, words, list, limit) {
    list.textContent = "";
    var trimmed = words.trim();
    if (!trimmed) return 0;
    var results = find(search, trimmed);
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "ptut-search-none";
      none.textContent = terms(trimmed).length
          ? "Nothing on the pages or in the code mentions all of: " + trimmed
          : "Too common a word to search for: " + trimmed;
      list.appendChild(none);
      return 0;
    }
    results.slice(0, limit).forEach(function (result) { list.appendChild(item(result)); });
    return results.length;
  }

  // The search page: every result, as you type.
  function startPage() {
    var input = document.getElementById("ptut-search-input");
    var list = document.getElementById("ptut-search-results");
    if (!input || !list) return;
    load().then(function (search) {
      input.addEventListener("input", function () { show(search, input.value, list, 50); });
      var asked = new URLSearchParams(window.location.search).get("q");
      if (asked) {
        input.value = asked;
        show(search, asked, list, 50);
      }
      list.setAttribute("data-ready", "yes");
    });
  }

  // The side bar's box (Doxygen's, made ours): a panel under it lists the first
  // results as you type; the arrow keys move through them, Enter opens the one
  // chosen or, with none chosen, the search page with every result; Escape closes.
  var SHOWN = 8;
  var panel = null;
  var chosen = -1;

  function openPanel(field, search) {
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "ptut-search-panel";
      panel.setAttribute("role", "listbox");
      document.body.appendChild(panel);
    }
    var box = field.getBoundingClientRect();
    panel.style.left = Math.max(4, box.left) + "px";
    panel.style.top = (box.bottom + 6) + "px";
    panel.textContent = "";
    var list = document.createElement("ol");
    var total = show(search, field.value, list, SHOWN);
    panel.appendChild(list);
    if (total > 0) {
      var all = document.createElement("a");
      all.className = "ptut-search-all";
      all.href = root + "fulltext.html?q=" + encodeURIComponent(field.value.trim());
      all.textContent = total > SHOWN ? "All " + total + " results →" : "Open the search page →";
      panel.appendChild(all);
    }
    chosen = -1;
    panel.style.display = field.value.trim() ? "block" : "none";
    // On a phone the box sits right of the menu button: keep the panel on screen.
    panel.style.left = Math.max(4, Math.min(box.left, window.innerWidth - panel.offsetWidth - 4)) + "px";
  }

  function closePanel() {
    if (panel) panel.style.display = "none";
    chosen = -1;
  }

  function choose(step) {
    if (!panel || panel.style.display === "none") return;
    var links = panel.querySelectorAll("ol > li > a");
    if (!links.length) return;
    if (chosen >= 0) {
      links[chosen].parentNode.classList.remove("ptut-chosen");
      links[chosen].parentNode.setAttribute("aria-selected", "false");
    }
    chosen = (chosen + step + links.length) % links.length;
    links[chosen].parentNode.classList.add("ptut-chosen");
    links[chosen].parentNode.setAttribute("aria-selected", "true");
    links[chosen].scrollIntoView({block: "nearest"});
  }

  function onKey(event) {
    var field = event.target;
    if (!field || field.id !== "MSearchField") return;
    // Doxygen's own handlers (its symbol search) never see the box's keys.
    event.stopPropagation();
    if (event.type === "keydown") {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        choose(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        var words = field.value.trim();
        var links = panel ? panel.querySelectorAll("ol > li > a") : [];
        if (chosen >= 0 && links[chosen]) {
          window.location.href = links[chosen].href;
        } else if (words) {
          window.location.href = root + "fulltext.html?q=" + encodeURIComponent(words);
        }
      } else if (event.key === "Escape") {
        closePanel();
      }
    }
  }

  function startBox() {
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("keyup", onKey, true);
    document.addEventListener("input", function (event) {
      var field = event.target;
      if (!field || field.id !== "MSearchField") return;
      event.stopPropagation();
      load().then(function (search) { openPanel(field, search); });
    }, true);
    document.addEventListener("focusin", function (event) {
      if (event.target && event.target.id === "MSearchField") load();  // ready before the first key
    });
    document.addEventListener("click", function (event) {
      if (panel && !panel.contains(event.target) && event.target.id !== "MSearchField") closePanel();
    });
  }

  startBox();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPage);
  } else {
    startPage();
  }
  return {load: load, find: find};
})();

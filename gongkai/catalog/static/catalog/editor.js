/* The record and page body editor: Squire (vendor/squire) over the form's textarea.
 *
 * Without JavaScript the textarea stays and the server turns its lines into paragraphs. With it, the
 * textarea is hidden and kept in step with the editor, so the form posts HTML as before; the server
 * sanitises it again (core/text.py), this file only makes pasted Word/WPS markup tidy to edit.
 *
 * A refused form: the error summary (catalog/staff/_error_summary.html) takes the focus, and its
 * links focus the field they name, the editor for the body. What was typed before a session ended
 * is kept on the server (core/drafts.py), not in the browser.
 */
(function () {
  "use strict";

  var KEEP = {
    P: [], BR: [], STRONG: [], B: [], EM: [], I: [], U: [], S: [], SUB: [], SUP: [],
    H2: [], H3: [], H4: [], H5: [], UL: [], OL: [], LI: [], BLOCKQUOTE: [], HR: [],
    A: ["href", "title"], TABLE: [], THEAD: [], TBODY: [], TR: [],
    TH: ["colspan", "rowspan", "scope"], TD: ["colspan", "rowspan"], CAPTION: [], DIV: []
  };
  // Removed with everything inside them: never text a reader should see.
  var DROP = { SCRIPT: 1, STYLE: 1, META: 1, LINK: 1, TITLE: 1, XML: 1, HEAD: 1, OBJECT: 1, IFRAME: 1,
               TEMPLATE: 1, NOSCRIPT: 1, SVG: 1, MATH: 1, IMG: 1 };
  var HEADINGS = { H1: "H2", H6: "H5" };

  function wordListInfo(el) {
    // Word and WPS write list items as paragraphs styled "mso-list:l0 level1 lfo1", the bullet or
    // number as a span styled "mso-list:Ignore"; turn them back into real lists.
    var style = el.getAttribute("style") || "";
    var m = /mso-list:\s*(l\d+)\s+level(\d+)/i.exec(style);
    if (!m) return null;
    var marker = el.querySelector("[style*='mso-list:Ignore'], [style*='mso-list: Ignore']");
    var text = marker ? marker.textContent.trim() : "";
    var ordered = /^[(（]?[0-9一二三四五六七八九十a-zA-Zivx]+[.)）、．]/.test(text);
    return { list: m[1], level: parseInt(m[2], 10), ordered: ordered };
  }

  function cleanNode(node) {
    var child = node.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (child.nodeType === 8) { node.removeChild(child); }  // comments, Word's <!--[if ...]-->
      else if (child.nodeType === 1) {
        var tag = child.nodeName.toUpperCase();
        var style = child.getAttribute("style") || "";
        if (DROP[tag]) {
          node.removeChild(child);
        } else if (/mso-list:\s*Ignore/i.test(style) || /display:\s*none/i.test(style)) {
          node.removeChild(child);
        } else {
          cleanNode(child);
          if (HEADINGS[tag]) { child = rename(child, HEADINGS[tag]); tag = child.nodeName; }
          if (KEEP[tag]) {
            var allowed = KEEP[tag];
            Array.prototype.slice.call(child.attributes).forEach(function (a) {
              if (allowed.indexOf(a.name) < 0) child.removeAttribute(a.name);
            });
            if (tag === "A" && !/^(https?:|mailto:|\/|#)/i.test(child.getAttribute("href") || "")) {
              child.removeAttribute("href");
            }
          } else {
            while (child.firstChild) node.insertBefore(child.firstChild, child);  // unwrap span, font, o:p
            node.removeChild(child);
          }
        }
      }
      child = next;
    }
  }

  function rename(el, tag) {
    var repl = el.ownerDocument.createElement(tag);
    while (el.firstChild) repl.appendChild(el.firstChild);
    el.parentNode.replaceChild(repl, el);
    return repl;
  }

  function groupWordLists(root) {
    // Consecutive paragraphs of one Word list become one <ul>/<ol>; a deeper level ("level2") is a
    // list inside the item before it, as Word shows it.
    var paragraphs = root.querySelectorAll("p[style*='mso-list']");
    var stack = [], currentId = null, last = null;
    Array.prototype.forEach.call(paragraphs, function (p) {
      var info = wordListInfo(p);
      if (!info) return;
      var doc = p.ownerDocument;
      if (!stack.length || currentId !== info.list || p.previousElementSibling !== stack[0]) {
        stack = [doc.createElement(info.ordered ? "ol" : "ul")];
        currentId = info.list;
        p.parentNode.insertBefore(stack[0], p);
        last = null;
      }
      while (stack.length > info.level && stack.length > 1) stack.pop();
      while (stack.length < info.level && last) {
        var inner = doc.createElement(info.ordered ? "ol" : "ul");
        last.appendChild(inner);
        stack.push(inner);
        last = null;
      }
      last = rename(p, "li");
      stack[stack.length - 1].appendChild(last);
    });
  }

  function sanitize(html, editor) {
    var template = document.createElement("template");  // inert: nothing in it runs or loads
    template.innerHTML = html;
    groupWordLists(template.content);
    cleanNode(template.content);
    return document.importNode(template.content, true);
  }

  function setBlock(editor, tag) {
    editor.modifyBlocks(function (frag) {
      var out = document.createDocumentFragment();
      Array.prototype.slice.call(frag.childNodes).forEach(function (n) {
        if (n.nodeType === 1 && /^(P|DIV|H[1-6]|BLOCKQUOTE)$/.test(n.nodeName)) {
          var e = document.createElement(tag);
          while (n.firstChild) e.appendChild(n.firstChild);
          out.appendChild(e);
        } else {
          out.appendChild(n);
        }
      });
      return out;
    });
  }

  function insertTable(editor, rows, cols) {
    var html = "<table><tbody>";
    for (var r = 0; r < rows; r++) {
      html += "<tr>";
      for (var c = 0; c < cols; c++) html += r === 0 ? "<th><br></th>" : "<td><br></td>";
      html += "</tr>";
    }
    editor.insertHTML(html + "</tbody></table><p><br></p>");
  }

  function setUp(textarea) {
    var wrap = document.getElementById(textarea.id + "_editor");
    if (!wrap || typeof window.Squire !== "function") return;
    var area = wrap.querySelector(".editor-area");
    var toolbar = wrap.querySelector(".editor-toolbar");
    var editor = new window.Squire(area, { blockTag: "P", sanitizeToDOMFragment: sanitize });
    editor.setHTML(textarea.value);
    textarea.hidden = true;
    wrap.hidden = false;
    // The field's error and help text, and its invalid state, belong to what the user types in.
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) area.setAttribute(name, textarea.getAttribute(name));
    });
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      area.setAttribute("aria-labelledby", label.id || (label.id = textarea.id + "_label"));
      label.addEventListener("click", function () { editor.focus(); });
    }
    function sync() {
      textarea.value = editor.getHTML();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    editor.addEventListener("input", sync);
    textarea.form.addEventListener("submit", sync);
    textarea.editor = editor;
    toolbar.addEventListener("click", function (ev) {
      var button = ev.target.closest("button[data-cmd]");
      if (!button) return;
      ev.preventDefault();
      var cmd = button.getAttribute("data-cmd");
      if (cmd === "p" || cmd === "h2" || cmd === "h3") setBlock(editor, cmd.toUpperCase());
      else if (cmd === "bold") editor.hasFormat("B") ? editor.removeBold() : editor.bold();
      else if (cmd === "italic") editor.hasFormat("I") ? editor.removeItalic() : editor.italic();
      else if (cmd === "ul") editor.makeUnorderedList();
      else if (cmd === "ol") editor.makeOrderedList();
      else if (cmd === "unlist") editor.removeList();
      else if (cmd === "link") {
        var url = window.prompt(button.getAttribute("data-prompt") || "URL", "https://");
        if (url && /^(https?:|mailto:|\/)/i.test(url)) editor.makeLink(url);
      } else if (cmd === "unlink") editor.removeLink();
      else if (cmd === "table") insertTable(editor, 3, 3);
      else if (cmd === "clear") editor.removeAllFormatting();
      else if (cmd === "undo") editor.undo();
      else if (cmd === "redo") editor.redo();
      sync();
      editor.focus();
    });
  }

  // The error summary --------------------------------------------------------------------------
  function setUpErrorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (ev) {
      var link = ev.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      ev.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      if (field.editor) field.editor.focus();
      else field.focus({ preventScroll: true });
    });
  }

  function dropOldBrowserDrafts() {
    // Earlier versions kept drafts in localStorage; nothing typed should stay on a shared computer.
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf("gongkai.draft.") === 0) window.localStorage.removeItem(key);
      }
    } catch (e) { /* storage disabled */ }
  }

  function start() {
    dropOldBrowserDrafts();
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-editor]"), setUp);
    var summary = document.getElementById("error-summary");
    if (summary) setUpErrorSummary(summary);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

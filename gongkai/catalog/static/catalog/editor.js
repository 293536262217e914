/* The record and page body editor: Squire (vendor/squire) over the form's textarea.
 *
 * Without JavaScript the textarea stays and the server turns its lines into paragraphs. With it, the
 * textarea is hidden and kept in step with the editor, so the form posts HTML as before; the server
 * sanitises it again (core/text.py), this file only makes pasted Word/WPS markup tidy to edit.
 *
 * Drafts: every form marked data-draft-key is copied to localStorage as the user types, so a
 * session that expired before "save" loses nothing: after logging in again the form offers the
 * draft back. The page shown after a successful save clears it (a message tagged draft-saved).
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
    return { list: m[1], ordered: ordered };
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
    var paragraphs = root.querySelectorAll("p[style*='mso-list']");
    var current = null, currentId = null;
    Array.prototype.forEach.call(paragraphs, function (p) {
      var info = wordListInfo(p);
      if (!info) return;
      var prev = p.previousElementSibling;
      if (!current || currentId !== info.list || prev !== current) {
        current = p.ownerDocument.createElement(info.ordered ? "ol" : "ul");
        currentId = info.list;
        p.parentNode.insertBefore(current, p);
      }
      var li = rename(p, "li");
      current.appendChild(li);
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

  // Drafts ------------------------------------------------------------------------------------
  var PREFIX = "gongkai.draft.";

  function fieldsOf(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data[el.name] = el.value;
    });
    return data;
  }

  function setUpDraft(form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var offer = document.getElementById("draft-offer");
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    var original = JSON.stringify(fieldsOf(form));
    // A form the server sent back with errors already holds what was typed: no offer then.
    var bounced = form.hasAttribute("data-draft-bounced");
    if (stored && stored.fields && JSON.stringify(stored.fields) !== original && !bounced && offer) {
      offer.hidden = false;
      var when = offer.querySelector("[data-draft-when]");
      if (when && stored.at) when.textContent = new Date(stored.at).toLocaleString();
      offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
        Object.keys(stored.fields).forEach(function (name) {
          var el = form.elements[name];
          if (!el || el.length && !el.tagName) return;
          el.value = stored.fields[name];
          if (el.editor) el.editor.setHTML(el.value);
        });
        offer.hidden = true;
      });
      offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
        window.localStorage.removeItem(key);
        offer.hidden = true;
      });
    }
    var timer = null;
    function save() {
      var fields = fieldsOf(form);
      if (JSON.stringify(fields) === original) return;
      try {
        window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields }));
      } catch (e) { /* storage full or disabled: the form still posts as usual */ }
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    });
    form.addEventListener("submit", save);
  }

  function clearSavedDrafts() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (el) {
      try { window.localStorage.removeItem(PREFIX + el.getAttribute("data-draft-saved")); } catch (e) { /* none */ }
    });
  }

  function start() {
    clearSavedDrafts();
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-editor]"), setUp);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), setUpDraft);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

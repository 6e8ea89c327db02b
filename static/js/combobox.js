/* Search-as-you-type fields (templates/includes/_combobox.html, core/pickers.py): the text field becomes a combobox
   (WAI-ARIA combobox with a list box) that asks the server for names as the person types. Choosing a name fills the
   hidden value; typing again clears it, so the server then resolves the text, exactly as without JavaScript. */
(function () {
  "use strict";
  var DELAY = 150;

  function enhance(box) {
    var input = box.querySelector("input[type='text']");
    var hidden = box.querySelector("[data-combobox-value]");
    var url = box.getAttribute("data-combobox-url");
    if (!input || !hidden || !url || !window.fetch) {
      return;
    }
    var label = box.querySelector("label");
    var listbox = document.createElement("ul");
    listbox.id = input.id + "-listbox";
    listbox.className = "list-group position-absolute w-100 shadow z-3 portal-combobox-list";
    listbox.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || input.id + "-label";
      listbox.setAttribute("aria-labelledby", label.id);
    }
    listbox.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.appendChild(listbox);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var chosen = input.value;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(listbox.children, function (item, i) {
        item.classList.toggle("active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      var item = listbox.children[active];
      input.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      hidden.value = options[index].value;
      input.value = options[index].label;
      chosen = input.value;
      close();
    }

    function show(results, more) {
      options = results;
      listbox.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = listbox.id + "-" + i;
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        listbox.appendChild(item);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var open = results.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open
        ? box.getAttribute("data-combobox-found") + " " + results.length + (more ? ". " + box.getAttribute("data-combobox-more") : "")
        : box.getAttribute("data-combobox-none");
    }

    function ask() {
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(input.value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (data) {
          if (mine === asked && document.activeElement === input) {
            show(data.results, data.more);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      if (input.value !== chosen) {
        hidden.value = "";
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          ask();
        } else {
          highlight(event.key === "ArrowDown" ? active + 1 : active - 1);
        }
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });

    // A click on a name chooses it; mousedown would otherwise take the focus from the field first.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var item = event.target.closest("[role='option']");
      if (item) {
        choose(Array.prototype.indexOf.call(listbox.children, item));
        input.focus();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-combobox]").forEach(enhance);
})();

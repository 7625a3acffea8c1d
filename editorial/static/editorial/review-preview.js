// Review body preview in the admin: sends the Markdown to the server, which renders and
// sanitises it exactly as the public review page does, and shows the result below the field.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  const box = document.querySelector(".review-preview");
  if (!body || !box) return;
  const target = box.querySelector(".review-preview-body");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Preview the body as typed";
  box.prepend(button);
  button.addEventListener("click", async () => {
    const data = new FormData();
    data.append("body", body.value);
    button.disabled = true;
    try {
      const response = await fetch(box.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token ? token.value : "" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      // Safe to insert: the server sanitised it with the public page's allow-list.
      target.innerHTML = answer.html !== undefined ? answer.html : answer.error;
    } catch (error) {
      target.textContent = "The preview could not be loaded.";
    } finally {
      button.disabled = false;
    }
  });
});

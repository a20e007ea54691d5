// Opens the RealtimeKit room with this member's participant token (RealtimeKit UI kit).
// The token is read from the page once and removed from the DOM before the kit runs.
(async () => {
  "use strict";
  const element = document.getElementById("meeting");
  const token = element.dataset.authToken;
  delete element.dataset.authToken;
  try {
    const { defineCustomElements } = await import(element.dataset.uiUrl);
    defineCustomElements();
    const meeting = await window.RealtimeKitClient.init({
      authToken: token,
      defaults: { audio: false, video: false },
    });
    element.meeting = meeting;
  } catch (error) {
    const message = document.getElementById("rtk-error");
    message.hidden = false;
  }
})();

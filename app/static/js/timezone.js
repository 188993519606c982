// Sign-up: preselect the browser's time zone (the person still checks it and ticks the box).
document.querySelectorAll("[data-detect-timezone] select").forEach((select) => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((option) => option.value === zone)) select.value = zone;
});

/* Fill a form's hidden latitude/longitude from the browser's geolocation (on-site evidence). */
document.querySelectorAll("[data-geo]").forEach((button) => {
  const form = button.closest("form");
  const status = form.querySelector("[data-geo-status]");
  button.addEventListener("click", () => {
    if (!navigator.geolocation) { status.textContent = "此设备不支持定位"; return; }
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.querySelector("[name$=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name$=longitude]").value = pos.coords.longitude.toFixed(6);
        status.textContent = `已定位:${pos.coords.latitude.toFixed(5)}, ${pos.coords.longitude.toFixed(5)}(精度约${Math.round(pos.coords.accuracy)}米)`;
      },
      (err) => { status.textContent = "未能定位:" + err.message; },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
});

function handler(req, res) {
  // ruleid: js-cors-header-any-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.end("ok");
}
// ruleid: js-cors-header-any-origin
const headers = { "Access-Control-Allow-Origin": "*", "Content-Type": "application/json" };
module.exports = {
  async headers() {
    return [
      // ruleid: js-cors-header-any-origin
      { source: "/api/:path*", headers: [{ key: "Access-Control-Allow-Origin", value: "*" }] },
    ];
  },
};
// ok: js-cors-header-any-origin
res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
// ok: js-cors-header-any-origin
res.setHeader("Access-Control-Allow-Methods", "*");
// ok: js-cors-header-any-origin
const h2 = { "Access-Control-Allow-Headers": "*" };
proxy.on("proxyRes", (proxyRes) => {
  // ruleid: js-cors-header-any-origin
  proxyRes.headers["access-control-allow-origin"] = "*";
  // ok: js-cors-header-any-origin
  proxyRes.headers["x-powered-by"] = "*";
});

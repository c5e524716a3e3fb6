/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // ruleid: js-production-source-maps
  productionBrowserSourceMaps: true,
};

module.exports = {
  // ruleid: js-production-source-maps
  productionBrowserSourceMaps: true,
  images: { domains: [] },
};

export default {
  // ruleid: js-production-source-maps
  productionBrowserSourceMaps: true,
};

const safe = {
  // ok: js-production-source-maps
  productionBrowserSourceMaps: false,
};

const alsoSafe = {
  reactStrictMode: true,
  // ok: js-production-source-maps
  poweredByHeader: false,
};

const envGated = {
  // ok: js-production-source-maps
  productionBrowserSourceMaps: process.env.SOURCE_MAPS === "1",
};

module.exports = {
  env: {
    // ruleid: js-bundle-inlines-server-secret
    OPENAI_API_KEY: process.env.OPENAI_API_KEY,
    // ok: js-bundle-inlines-server-secret
    APP_NAME: process.env.APP_NAME,
  },
};
export default defineConfig({
  define: {
    // ruleid: js-bundle-inlines-server-secret
    "process.env.ANTHROPIC_API_KEY": JSON.stringify(process.env.ANTHROPIC_API_KEY),
    // ok: js-bundle-inlines-server-secret
    __APP_VERSION__: JSON.stringify(process.env.npm_package_version),
  },
});
export const nuxt = defineNuxtConfig({
  runtimeConfig: {
    // ok: js-bundle-inlines-server-secret
    openaiKey: process.env.OPENAI_KEY_PRIVATE_ONLY,
    public: {
      // ruleid: js-bundle-inlines-server-secret
      stripeSecret: process.env.STRIPE_SECRET_KEY,
    },
  },
});

const express = require("express");
const app = express();

app.use(function (err, req, res, next) {
  // ruleid: js-error-stack-to-client
  res.status(500).json({ error: err.message, stack: err.stack });
});

app.use((err, req, res, next) => {
  // ruleid: js-error-stack-to-client
  res.status(err.status || 500).send(err.stack);
});

function errorHandler(error, req, res, next) {
  // ruleid: js-error-stack-to-client
  res.json({ message: error.message, details: error.stack });
}

app.use((err, req, res, next) => {
  // ok: js-error-stack-to-client
  res.status(500).json({ error: "Internal server error" });
});

app.use((err, req, res, next) => {
  console.error(err.stack);
  // ok: js-error-stack-to-client
  res.status(500).send("Something broke!");
});

app.use((err, req, res, next) => {
  res.status(500).json({
    message: err.message,
    // ok: js-error-stack-to-client
    stack: process.env.NODE_ENV === "production" ? undefined : err.stack,
  });
});

import express from "express";
import cors from "cors";

const app = express();
// ruleid: js-cors-default
app.use(cors());
// ruleid: js-cors-default
app.options("*", cors());
// ruleid: js-cors-default
app.use(require("cors")());
// ok: js-cors-default
app.use(cors({ origin: ["https://app.example.com"] }));
// ok: js-cors-default
app.options("*", cors());
// ok: js-cors-default
app.use(express.json());
// ok: js-cors-default
app.use(helmet());

/**
 * Countly API server configuration, mounted over /opt/countly/api/config.js by cncfdemo.
 * The one change that matters from Countly's defaults: MongoDB is the "mongos" Service of the stack's
 * namespace (the sharded cluster's router), not localhost. Environment variables COUNTLY_CONFIG_API_*
 * still override anything here.
 */
var countlyConfig = {
    mongodb: {
        host: "mongos",
        db: "countly",
        port: 27017,
        max_pool_size: 500,
    },

    api: {
        port: 3001,
        host: "0.0.0.0",
        max_sockets: 1024,
        timeout: 120000,
    },

    path: "",

    logging: {
        info: ["jobs", "push"],
        default: "warn",
    },

    // Files go to MongoDB (GridFS): API pods keep no local state and can be scaled and replaced freely.
    fileStorage: "gridfs",
};

module.exports = require("./configextender")("API", countlyConfig, process.env);

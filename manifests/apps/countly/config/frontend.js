/**
 * Countly dashboard (frontend) configuration, mounted over /opt/countly/frontend/express/config.js by
 * cncfdemo. MongoDB is the "mongos" Service of the stack's namespace; the session secret comes from the
 * Secret countly-secrets (generated once per cluster by cncfdemo), never from this file.
 */
var countlyConfig = {
    mongodb: {
        host: "mongos",
        db: "countly",
        port: 27017,
        max_pool_size: 10,
    },

    web: {
        port: 6001,
        host: "0.0.0.0",
        use_intercom: true,
        secure_cookies: false,
        track: "none",
        session_secret: process.env.COUNTLY_SESSION_SECRET,
        session_name: "connect.sid",
    },

    path: "",
    cdn: "",
};

module.exports = require("../../api/configextender")("FRONTEND", countlyConfig, process.env);

/**
 * The run record's JSON Schema: the one source of the record's shape. The types in run-record.ts are derived
 * from it (`FromSchema`), the validator is compiled from it (through schemas/run-record.schema.json, written
 * from this object by `npm run schemas`; a unit test fails while the two differ).
 *
 * Why the schema is the source and not the TypeScript types: the record is a published format (run.json is
 * read by `compare`, the web UI and other tools), and its constraints — minimums, formats, patterns, closed
 * objects — are schema, which types cannot say; no generator between the two is a dependency of the project,
 * and a type computed from the schema by the compiler needs none.
 */
import type { JsonSchema } from './json-schema.js';

export const RUN_RECORD_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://cncfdemo.dev/schemas/run-record.schema.json',
  title: 'cncfdemo benchmark run record (run.json)',
  description:
    'A benchmark run as kept in ~/.cncfdemo/runs/<id>/run.json: the shape of the original cncfdemo results (Metadata, events, results) plus cost; the HTML report and `compare` are built from it alone.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'id', 'Metadata', 'events', 'results', 'cost'],
  properties: {
    apiVersion: {
      const: 'cncfdemo.io/v1alpha1',
    },
    kind: {
      const: 'BenchmarkRun',
    },
    id: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
    },
    Metadata: {
      type: 'object',
      additionalProperties: false,
      required: [
        'cncfdemoVersion',
        'provider',
        'cluster',
        'kubernetesVersion',
        'nodes',
        'options',
        'start',
        'end',
      ],
      properties: {
        cncfdemoVersion: {
          type: 'string',
        },
        provider: {
          description: 'local, aws, ...; "loopback" for --local-target runs, which involve no cluster.',
          type: 'string',
        },
        cluster: {
          type: ['string', 'null'],
        },
        kubernetesVersion: {
          type: ['string', 'null'],
        },
        nodes: {
          type: 'object',
          additionalProperties: false,
          required: ['count', 'cpu', 'memory', 'instanceType', 'simulated'],
          properties: {
            count: {
              type: 'integer',
              minimum: 0,
            },
            cpu: {
              description: 'Per node, as a quantity ("8", "7500m").',
              type: ['string', 'null'],
            },
            memory: {
              type: ['string', 'null'],
            },
            instanceType: {
              type: ['string', 'null'],
            },
            simulated: {
              description: 'kwok nodes: pods never run, so no traffic can be served.',
              type: 'boolean',
            },
          },
        },
        region: {
          description:
            "The cluster's region (aws), from its record in the home. Absent in older records and for other clusters.",
          type: ['string', 'null'],
        },
        machines: {
          description:
            "The machines by role with their instance types and counts, from the cluster's record in the home (aws): the cost is priced from these. Absent in older records and for clusters without machines of their own.",
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['role', 'instanceType', 'count'],
            properties: {
              role: {
                enum: ['master', 'minion'],
              },
              instanceType: {
                description: 'A key of data/prices.yaml.',
                type: 'string',
                minLength: 1,
              },
              count: {
                type: 'integer',
                minimum: 0,
              },
            },
          },
        },
        options: {
          type: 'object',
          additionalProperties: false,
          required: [
            'durationSeconds',
            'threads',
            'connections',
            'rate',
            'localTarget',
            'pricePerNodeHour',
            'saveHtml',
          ],
          properties: {
            durationSeconds: {
              type: 'number',
              minimum: 1,
            },
            threads: {
              type: 'integer',
              minimum: 1,
            },
            connections: {
              type: 'integer',
              minimum: 1,
            },
            rate: {
              type: ['number', 'null'],
              exclusiveMinimum: 0,
            },
            localTarget: {
              type: ['string', 'null'],
            },
            pricePerNodeHour: {
              type: ['number', 'null'],
              minimum: 0,
            },
            saveHtml: {
              type: 'boolean',
            },
            chaos: {
              description: '`--chaos` as given (e.g. "pod-kill:15s"); absent in older records.',
              type: ['string', 'null'],
            },
          },
        },
        start: {
          type: 'string',
          format: 'date-time',
        },
        end: {
          type: 'string',
          format: 'date-time',
        },
      },
    },
    events: {
      description: 'The operations of the run, each folded from its start/end events.',
      type: 'array',
      items: {
        $ref: '#/definitions/phase',
      },
    },
    results: {
      type: 'object',
      additionalProperties: false,
      required: [
        'http',
        'httpSkipped',
        'measurements',
        'measurementsSkipped',
        'slos',
        'series',
        'seriesNotes',
      ],
      properties: {
        http: {
          description: 'null when no HTTP load ran; httpSkipped says why.',
          oneOf: [
            {
              $ref: '#/definitions/http',
            },
            {
              type: 'null',
            },
          ],
        },
        httpSkipped: {
          type: ['string', 'null'],
        },
        measurements: {
          type: 'array',
          items: {
            $ref: '#/definitions/measurement',
          },
        },
        measurementsSkipped: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'reason'],
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
              },
              reason: {
                type: 'string',
              },
            },
          },
        },
        slos: {
          description: 'Every SLO verdict of the run (also inside each measurement).',
          type: 'array',
          items: {
            $ref: '#/definitions/slo',
          },
        },
        series: {
          type: 'object',
          additionalProperties: false,
          required: ['replicas', 'podsByPriority', 'boincWork'],
          properties: {
            replicas: {
              description: 'Countly API replicas over time (HPA).',
              type: 'array',
              items: {
                $ref: '#/definitions/namedSeries',
              },
            },
            podsByPriority: {
              description: 'Running pods by priority class over time.',
              type: 'array',
              items: {
                $ref: '#/definitions/namedSeries',
              },
            },
            boincWork: {
              description: 'BOINC work units over time.',
              type: 'array',
              items: {
                $ref: '#/definitions/namedSeries',
              },
            },
          },
        },
        seriesNotes: {
          description: 'Why a series group is empty, when it is.',
          type: 'array',
          items: {
            type: 'string',
          },
        },
        chaos: {
          description:
            '`--chaos`: what was killed when, and how fast the workload recovered. Absent in older records.',
          oneOf: [
            {
              type: 'null',
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['action', 'intervalSeconds', 'seed', 'target', 'kills', 'notes'],
              properties: {
                action: {
                  const: 'pod-kill',
                },
                intervalSeconds: {
                  type: 'number',
                },
                seed: {
                  description: 'Picks the victims: the same seed and the same pods give the same kills.',
                  type: 'integer',
                },
                target: {
                  description: 'The workload whose pods were killed (e.g. deployment/countly-api).',
                  type: 'string',
                },
                notes: {
                  description: 'How recovery and failures were measured, and what could not be.',
                  type: 'array',
                  items: {
                    type: 'string',
                  },
                },
                kills: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['at', 'pod', 'readyBefore', 'recoveredAt', 'recoverySeconds'],
                    properties: {
                      at: {
                        description: 'When the delete was sent.',
                        type: 'string',
                        format: 'date-time',
                      },
                      pod: {
                        type: 'string',
                      },
                      readyBefore: {
                        description: 'Ready pods before the kill: what recovery waits to see again.',
                        type: 'integer',
                      },
                      recoveredAt: {
                        description:
                          'When that many ready pods (the victim not among them) were back; null if not within the run.',
                        type: ['string', 'null'],
                      },
                      recoverySeconds: {
                        type: ['number', 'null'],
                      },
                      failedRequests: {
                        description:
                          "Requests sent and not answered well (below 400) from this kill to the next (or the load's end).",
                        type: ['number', 'null'],
                      },
                      windowSeconds: {
                        type: 'number',
                      },
                    },
                  },
                },
              },
            },
          ],
        },
        stack: {
          description:
            'The benchmarked stack: whether one was deployed, the components its values left out (e.g. MongoDB in the offline profile) and what served the Countly API (countly or the ingest server). Absent in older records and in --local-target runs.',
          type: 'object',
          additionalProperties: false,
          required: ['deployed', 'leftOut', 'apiServer'],
          properties: {
            deployed: {
              type: 'boolean',
            },
            apiServer: {
              type: ['string', 'null'],
            },
            leftOut: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'when'],
                properties: {
                  name: {
                    type: 'string',
                  },
                  when: {
                    type: 'string',
                  },
                },
              },
            },
          },
        },
      },
    },
    cost: {
      type: 'object',
      additionalProperties: false,
      required: ['currency', 'pricePerNodeHour', 'priceSource', 'nodeHours', 'total', 'perMillionRequests'],
      properties: {
        currency: {
          type: 'string',
        },
        pricePerNodeHour: {
          type: ['number', 'null'],
          minimum: 0,
        },
        priceSource: {
          description: 'override (--price-per-node-hour), price table (data/prices.yaml), or unknown.',
          enum: ['override', 'price table', 'unknown'],
        },
        nodeHours: {
          type: 'number',
          minimum: 0,
        },
        total: {
          type: ['number', 'null'],
          minimum: 0,
        },
        perMillionRequests: {
          type: ['number', 'null'],
          minimum: 0,
        },
      },
    },
  },
  definitions: {
    quantileBucket: {
      description:
        'A histogram bucket [lower, upper] in seconds, upper null for +Inf; null when there is none.',
      oneOf: [
        { type: 'null' },
        {
          type: 'array',
          items: [{ type: 'number' }, { type: ['number', 'null'] }],
          minItems: 2,
          additionalItems: false,
        },
      ],
    },
    timePoint: {
      type: 'object',
      required: ['t', 'v'],
      additionalProperties: false,
      properties: {
        t: {
          description: 'Unix seconds.',
          type: 'number',
        },
        v: {
          type: 'number',
        },
      },
    },
    namedSeries: {
      type: 'object',
      required: ['name', 'points'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
        },
        points: {
          type: 'array',
          items: {
            $ref: '#/definitions/timePoint',
          },
        },
      },
    },
    slo: {
      description: 'A service-level objective checked against a measured value.',
      type: 'object',
      required: ['name', 'objective', 'thresholdSeconds', 'observedSeconds', 'pass'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
        },
        objective: {
          description: 'Human-readable objective, e.g. "p99 <= 1s".',
          type: 'string',
        },
        thresholdSeconds: {
          type: 'number',
        },
        observedSeconds: {
          type: ['number', 'null'],
        },
        pass: {
          description: 'null when there was nothing to measure.',
          type: ['boolean', 'null'],
        },
      },
    },
    measurement: {
      description: "One measurement's output: a small table (rows x columns), SLO verdicts and notes.",
      type: 'object',
      required: ['name', 'title', 'unit', 'columns', 'rows', 'slos', 'notes'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
        },
        title: {
          type: 'string',
        },
        unit: {
          description: 'Unit of the table\'s values, e.g. "seconds", "pods/s".',
          type: 'string',
        },
        columns: {
          type: 'array',
          items: {
            type: 'string',
          },
        },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            required: ['label', 'values'],
            additionalProperties: false,
            properties: {
              label: {
                type: 'string',
              },
              values: {
                type: 'object',
                additionalProperties: {
                  type: ['number', 'null'],
                },
              },
            },
          },
        },
        slos: {
          type: 'array',
          items: {
            $ref: '#/definitions/slo',
          },
        },
        notes: {
          type: 'array',
          items: {
            type: 'string',
          },
        },
      },
    },
    http: {
      description:
        'HTTP load results for one run, all built from Prometheus queries over what the generators pushed.',
      type: 'object',
      additionalProperties: false,
      required: [
        'generator',
        'model',
        'target',
        'generators',
        'requests',
        'requestsPerSecond',
        'bytes',
        'errors',
        'latency',
        'latencyCurve',
        'throughput',
      ],
      properties: {
        generator: {
          enum: ['wrk', 'k6'],
        },
        model: {
          description:
            'closed: fixed connections send as fast as answers come; open: a fixed arrival rate (--rate).',
          enum: ['closed', 'open'],
        },
        target: {
          type: 'string',
        },
        generators: {
          description: 'Load generator instances (pods, or 1 locally) that pushed results.',
          type: 'integer',
          minimum: 0,
        },
        requests: {
          type: 'number',
          minimum: 0,
        },
        requestsPerSecond: {
          type: 'number',
          minimum: 0,
        },
        bytes: {
          type: 'number',
          minimum: 0,
        },
        errors: {
          type: 'object',
          additionalProperties: false,
          required: ['connect', 'read', 'write', 'timeout', 'status', 'dropped'],
          properties: {
            connect: {
              type: 'number',
              minimum: 0,
            },
            read: {
              type: 'number',
              minimum: 0,
            },
            write: {
              type: 'number',
              minimum: 0,
            },
            timeout: {
              type: 'number',
              minimum: 0,
            },
            status: {
              type: 'number',
              minimum: 0,
            },
            dropped: {
              type: 'number',
              minimum: 0,
            },
          },
        },
        latency: {
          description:
            'Seconds; quantiles from histogram_quantile over the buckets summed across generators.',
          type: 'object',
          additionalProperties: false,
          required: ['p50', 'p90', 'p99', 'p999', 'max'],
          properties: {
            p50: {
              type: ['number', 'null'],
            },
            p90: {
              type: ['number', 'null'],
            },
            p99: {
              type: ['number', 'null'],
            },
            p999: {
              type: ['number', 'null'],
            },
            max: {
              type: ['number', 'null'],
            },
          },
        },
        latencyCurve: {
          description: 'Latency quantile curve, seconds.',
          type: 'array',
          items: {
            type: 'object',
            required: ['quantile', 'seconds'],
            additionalProperties: false,
            properties: {
              quantile: {
                type: 'number',
                exclusiveMinimum: 0,
                maximum: 1,
              },
              seconds: {
                type: 'number',
                minimum: 0,
              },
            },
          },
        },
        throughput: {
          description:
            'Requests per second over the run: rate() of the sent-requests counter over 4 scrape intervals.',
          type: 'array',
          items: {
            $ref: '#/definitions/timePoint',
          },
        },
        failures: {
          description:
            'Failed requests per second over the run (sent but not answered with a status below 400), same window as throughput; empty when the generator does not report answers while running (k6). Absent in older records.',
          type: 'array',
          items: {
            $ref: '#/definitions/timePoint',
          },
        },
        crossCheck: {
          description:
            "The run's totals and percentiles checked against each load generator's own log (in-cluster wrk).",
          type: 'object',
          required: [
            'method',
            'generators',
            'requestsLogged',
            'requestsRecorded',
            'quantiles',
            'problems',
            'agree',
          ],
          properties: {
            method: {
              type: 'string',
            },
            generators: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['pod', 'requests', 'printed', 'buckets'],
                properties: {
                  pod: {
                    type: 'string',
                  },
                  requests: {
                    type: 'number',
                    minimum: 0,
                  },
                  printed: {
                    description: "wrk's own printed percentiles, seconds.",
                    type: 'object',
                    additionalProperties: false,
                    required: ['p50', 'p99'],
                    properties: {
                      p50: {
                        type: ['number', 'null'],
                      },
                      p99: {
                        type: ['number', 'null'],
                      },
                    },
                  },
                  buckets: {
                    description:
                      "The bucket [lower, upper] that holds the pod's histogram quantile; upper null for +Inf (JSON has no Infinity).",
                    type: 'object',
                    additionalProperties: false,
                    required: ['p50', 'p99'],
                    properties: {
                      p50: { $ref: '#/definitions/quantileBucket' },
                      p99: { $ref: '#/definitions/quantileBucket' },
                    },
                  },
                },
              },
            },
            requestsLogged: {
              type: 'number',
            },
            requestsRecorded: {
              type: 'number',
            },
            quantiles: {
              type: 'array',
              items: {
                type: 'object',
                required: ['quantile', 'fromLogs', 'recorded'],
                properties: {
                  quantile: {
                    type: 'number',
                  },
                  fromLogs: {
                    description:
                      "From the buckets in the pods' logs, merged and interpolated as Prometheus does.",
                    type: ['number', 'null'],
                  },
                  recorded: {
                    description: 'What the run record says (histogram_quantile in Prometheus).',
                    type: ['number', 'null'],
                  },
                },
                additionalProperties: false,
              },
            },
            problems: {
              description: 'Every way in which the logs and the record disagree; empty when they agree.',
              type: 'array',
              items: {
                type: 'string',
              },
            },
            agree: {
              type: 'boolean',
            },
          },
          additionalProperties: false,
        },
      },
    },
    phase: {
      description: 'One operation of the run, folded from its start/end events.',
      type: 'object',
      required: ['scope', 'id', 'title', 'start', 'end', 'outcome', 'durationMs'],
      additionalProperties: false,
      properties: {
        scope: {
          type: 'string',
        },
        id: {
          type: 'string',
        },
        title: {
          type: 'string',
        },
        start: {
          type: 'string',
          format: 'date-time',
        },
        end: {
          type: ['string', 'null'],
          format: 'date-time',
        },
        outcome: {
          enum: ['ok', 'failed', 'skipped', null],
        },
        durationMs: {
          type: ['number', 'null'],
        },
        message: {
          type: 'string',
        },
        output: {
          type: 'string',
        },
      },
    },
  },
} as const satisfies JsonSchema;

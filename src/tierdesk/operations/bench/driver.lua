-- The wrk script behind `tierdesk bench run`. The harness writes a Lua table describing the
-- scenario (operations with weights, personas' headers, ticket ids) to the file named by
-- TIERDESK_BENCH_CONFIG; this script draws operations from it, times every request per
-- operation and writes the samples to the configured output file when wrk is done.
--
-- Each wrk thread drives exactly one connection (the harness runs `-t N -c N`), so a
-- response always belongs to the last request of its thread and can be timed here.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } tierdesk_timespec;
  int clock_gettime(int clock_id, tierdesk_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("tierdesk_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

-- Main state: number the threads.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("index", threads)
end

-- Thread state. Every response is written to this thread's own file (wrk cannot copy nested
-- tables between threads); stdio flushes the files when wrk exits.
local config, operations, cumulative, total_weight, pool, toggled, out
local pool_position, serial = 0, 0
local pending_name, pending_start, pending_toggle
local reported = {}

function init(args)
  config = dofile(os.getenv("TIERDESK_BENCH_CONFIG"))
  out = assert(io.open(os.getenv("TIERDESK_BENCH_OUTPUT") .. "." .. index, "w"))
  math.randomseed(config.seed + index * 7919)
  operations, cumulative, total_weight = config.operations, {}, 0
  for i, operation in ipairs(operations) do
    total_weight = total_weight + operation.weight
    cumulative[i] = total_weight
  end
  -- Each thread works on its own slice of the pool, so clients never wait on each other's
  -- ticket locks nor escalate the same ticket; the harness gives a pool of at least one
  -- ticket per client (runner._scenario_pool).
  pool, toggled = {}, {}
  for i = index, #config.pool, config.clients do
    pool[#pool + 1] = config.pool[i]
  end
end

local function pick()
  local r = math.random() * total_weight
  for i, weight in ipairs(cumulative) do
    if r <= weight then
      return operations[i]
    end
  end
  return operations[#operations]
end

function request()
  local operation = pick()
  local path, body = operation.path, operation.body
  pending_toggle = nil
  if operation.ids == "query" then
    path = string.format(path, config.queries[math.random(#config.queries)])
  elseif operation.ids == "visible" then
    path = string.format(path, config.visible[math.random(#config.visible)])
  elseif operation.ids == "pool" then
    if #pool == 0 then
      error("scenario needs ticket ids but the pool is empty")
    end
    pool_position = pool_position % #pool + 1
    local id = pool[pool_position]
    if operation.toggle then
      -- Escalate a ticket, and the next time it comes round send it back down. The state
      -- flips when the server confirms (wrk also calls request() once without sending it).
      if toggled[id] then
        operation = operation.toggle
        path, body = operation.path, operation.body
      end
      pending_toggle = id
    end
    path = string.format(path, id)
  end
  if body and string.find(body, "%%d") then
    serial = serial + 1
    body = string.format(body, index * 10000000 + serial)
  end
  pending_name, pending_start = operation.name, now_us()
  return wrk.format(operation.method, path, config.headers[operation.persona], body)
end

local function clean(text)
  return (string.gsub(text, "[\t\r\n]", " "))
end

function response(status, headers, body)
  local elapsed = math.floor(now_us() - pending_start)
  out:write(pending_name, "\t", status, "\t", elapsed, "\n")
  if pending_toggle and status < 300 then
    toggled[pending_toggle] = not toggled[pending_toggle]
  end
  if status >= 300 and not reported[pending_name] then
    reported[pending_name] = true
    out:write("first_error\t", pending_name, "\t", clean(string.sub(body or "", 1, 300)), "\n")
  end
end

function done(summary, latency, requests)
  local file = assert(io.open(os.getenv("TIERDESK_BENCH_OUTPUT"), "w"))
  local e = summary.errors
  file:write(string.format(
    "summary\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", summary.duration, summary.requests,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
  file:close()
end

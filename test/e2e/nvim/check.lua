-- kube-expose in a second real client: headless Neovim (Debian's 0.7.2 or newer) and its
-- built-in LSP client, using only 0.7 APIs (vim.lsp.start_client, buf_attach_client,
-- vim.diagnostic.get, buf_request_sync, util.apply_workspace_edit, vim.wait).
--
-- Run by scripts/e2e/nvim.mjs, which passes (environment):
--   E2E_LSP_CMD      JSON array: the server command, e.g. ["node","/abs/bin/kube-expose.js","lsp","--stdio"]
--   E2E_FILE         the broken manifest to open
--   E2E_ROOT         the workspace folder (root_dir)
--   E2E_RULE         the rule code expected on the file
--   E2E_MESSAGE      a substring of its message
--   E2E_TIMEOUT_MS   per wait (default 20000)
--   E2E_DEBUG        print the buffer after the fix
-- Prints "DIAG ..." lines, one "CHECK ok|fail <name> [detail]" line per check, then exits
-- 0 (all ok), 1 (a check failed) or 2 (a Lua error). Everything runs inside pcall:
-- an uncaught error in -c would leave headless nvim waiting forever.
local function out(s) io.stdout:write(s .. '\n') end
local failed = false
local function check(name, ok, detail)
  out(('CHECK %s %s%s'):format(ok and 'ok' or 'fail', name, detail and (' -- ' .. detail) or ''))
  if not ok then failed = true end
  return ok
end

local ok_run, err_run = pcall(function()
  local cmd = vim.fn.json_decode((assert(os.getenv('E2E_LSP_CMD'), 'E2E_LSP_CMD not set')))
  local file = assert(os.getenv('E2E_FILE'), 'E2E_FILE not set')
  local root = os.getenv('E2E_ROOT') or vim.fn.fnamemodify(file, ':p:h')
  local rule = assert(os.getenv('E2E_RULE'), 'E2E_RULE not set')
  local message = os.getenv('E2E_MESSAGE') or ''
  local timeout = tonumber(os.getenv('E2E_TIMEOUT_MS') or '20000')

  vim.opt.swapfile = false
  if not pcall(vim.lsp.set_log_level, 'OFF') then vim.lsp.set_log_level('ERROR') end -- 'OFF' needs 0.8
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'

  local t0 = vim.loop.hrtime()
  local ms = function() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
  local client_id = vim.lsp.start_client({
    name = 'kube-expose',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    on_exit = function(code, signal)
      if code ~= 0 and signal ~= 15 then out(('SERVER exited code=%s signal=%s'):format(code, signal)) end
    end,
  })
  if not check('server starts', client_id ~= nil, table.concat(cmd, ' ')) then return end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function code_of(d)
    if d.code ~= nil then return d.code end
    local lsp = d.user_data and d.user_data.lsp
    return lsp and lsp.code
  end
  local function matching()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if code_of(d) == rule and string.find(d.message, message, 1, true) then return d end
    end
  end

  local got = vim.wait(timeout, function() return matching() ~= nil end, 50)
  local sev = { 'ERROR', 'WARN', 'INFO', 'HINT' }
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out(('DIAG %d:%d %s %s [%s] %s'):format(d.lnum + 1, d.col + 1, sev[d.severity] or '?', d.source or '', tostring(code_of(d)), d.message))
  end
  if not check('diagnostic', got, ('%s "%s" within %d ms (took %d ms)'):format(rule, message, timeout, ms())) then return end
  local d = matching()
  check('diagnostic source', d.source == 'kube-expose', 'source=' .. tostring(d.source))

  -- The quick fix, asked for the way :lua vim.lsp.buf.code_action() does, then applied.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local params = vim.lsp.util.make_range_params()
  local lsp_diag = (d.user_data and d.user_data.lsp) or {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message, source = d.source, code = code_of(d), severity = d.severity,
  }
  params.context = { diagnostics = { lsp_diag }, only = { 'quickfix' } }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout) or {}
  local fix, titles = nil, {}
  for _, resp in pairs(responses) do
    for _, action in ipairs(resp.result or {}) do
      table.insert(titles, action.title)
      if action.edit and (fix == nil or (action.isPreferred and not fix.isPreferred)) then fix = action end
    end
  end
  -- (the fixture's pods are web-frontend's, a guess rather than a typo of "web": offered, not preferred)
  if not check('code action', fix ~= nil and fix.title:find('^Change selector to app=web%-frontend') ~= nil, 'offered: ' .. table.concat(titles, ' | ')) then return end
  local before = {}
  for _, x in ipairs(vim.diagnostic.get(bufnr)) do before[tostring(code_of(x))] = true end
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  local cleared = vim.wait(timeout, function() return matching() == nil end, 50)
  -- and trades it for nothing else (an edit on the wrong line breaks the YAML: yaml-syntax)
  vim.wait(500, function() return false end, 50)
  local introduced = {}
  for _, x in ipairs(vim.diagnostic.get(bufnr)) do
    if not before[tostring(code_of(x))] then table.insert(introduced, tostring(code_of(x)) .. ': ' .. x.message) end
  end
  if os.getenv('E2E_DEBUG') then out(table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')) end
  check('fix clears the diagnostic', cleared and #introduced == 0,
    ('"%s"%s'):format(fix.title, #introduced > 0 and (' introduced ' .. table.concat(introduced, '; ')) or ''))

  client.stop()
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)

if not ok_run then
  out('CHECK fail lua -- ' .. tostring(err_run))
  vim.cmd('cquit 2')
elseif failed then
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end

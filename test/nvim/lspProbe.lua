-- Drives Neovim's built-in LSP client (0.7 API) against `django-static lsp --stdio` and writes what it
-- got to a JSON file. Inputs come from the environment: DS_CLI, DS_ROOT, DS_OUT; with DS_IMMEDIATE set it asks
-- right after the server is initialized instead of waiting for the project to be learned.
local cli = os.getenv('DS_CLI')
local root = os.getenv('DS_ROOT')
local out = os.getenv('DS_OUT')
local immediate = os.getenv('DS_IMMEDIATE') ~= nil
local result = { errors = {} }
local started = vim.loop.hrtime()

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function fail(message)
  table.insert(result.errors, message)
  finish()
end

local learned = false
local initialized = false
local client_id = vim.lsp.start_client({
  name = 'django-static',
  on_init = function() initialized = true end,
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'demo' } },
  handlers = {
    ['djangoStatic/projectsChanged'] = function(_, params)
      result.projects = params.projects
      learned = true
    end,
  },
})
if not client_id then
  return fail('start_client returned nil')
end

vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/templates/base.html'))
local buf = vim.api.nvim_get_current_buf()
result.filetype = vim.bo[buf].filetype
vim.lsp.buf_attach_client(buf, client_id)

if immediate then
  if not vim.wait(30000, function() return initialized end, 5) then
    return fail('the server was not initialized within 30 s')
  end
  result.asked_before_learned = not learned
elseif not vim.wait(30000, function() return learned end, 50) then
  return fail('no djangoStatic/projectsChanged within 30 s')
end

-- Cursor right after `{% static 'css/` on the line that links site.css (0-based for LSP).
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local line_nr, col
for i, text in ipairs(lines) do
  local s, e = text:find("{% static 'css/site.css'", 1, true)
  if s then
    line_nr = i - 1
    col = s - 1 + #"{% static 'css/"
    break
  end
end
if not line_nr then
  return fail('css/site.css line not found')
end
local uri = vim.uri_from_bufnr(buf)

local completion = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
  textDocument = { uri = uri },
  position = { line = line_nr, character = col },
}, 10000)
local labels = {}
for _, response in pairs(completion or {}) do
  if response.err then table.insert(result.errors, vim.inspect(response.err)) end
  local items = response.result and (response.result.items or response.result) or {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
end
result.completion = labels

local definition = vim.lsp.buf_request_sync(buf, 'textDocument/definition', {
  textDocument = { uri = uri },
  position = { line = line_nr, character = col + 2 },
}, 10000)
local targets = {}
for _, response in pairs(definition or {}) do
  for _, location in ipairs(response.result or {}) do
    table.insert(targets, vim.uri_to_fname(location.uri or location.targetUri))
  end
end
result.definition = targets

local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = uri },
  position = { line = line_nr, character = col + 2 },
}, 10000)
for _, response in pairs(hover or {}) do
  local contents = response.result and response.result.contents
  if type(contents) == 'table' then contents = contents.value or vim.inspect(contents) end
  result.hover = contents
end
result.answered_ms = (vim.loop.hrtime() - started) / 1e6

-- Diagnostics of another template arrive without opening it; the open one gets its own.
vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(diagnostics, { code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message, lnum = d.lnum })
end
result.diagnostics = diagnostics

vim.lsp.stop_client(client_id)
finish()

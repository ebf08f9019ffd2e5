-- Run after the README's Neovim 0.7 block (test/nvim/readme.test.ts): opens a template with a missing path,
-- waits for the attached server's diagnostics and writes what Neovim got to DS_OUT as JSON.
local out = os.getenv('DS_OUT')
local result = { errors = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

vim.cmd('edit templates/broken.html')
local buf = vim.api.nvim_get_current_buf()
result.filetype = vim.bo[buf].filetype
local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not got then table.insert(result.errors, 'no diagnostics within 30 s') end
result.clients = {}
for _, client in pairs(vim.lsp.buf_get_clients(buf)) do table.insert(result.clients, client.name) end
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(result.diagnostics, { lnum = d.lnum, message = d.message }) end
finish()

-- Headless Neovim as a real LSP client of `magelint server` (tests/lsp.rs runs it).
-- Environment: MAGELINT_BIN (the server binary), MAGELINT_ROOT (workspace folder),
-- MAGELINT_FILE (file to open), MAGELINT_OUT (where to write the diagnostics as JSON).
local bin = os.getenv("MAGELINT_BIN")
local root = os.getenv("MAGELINT_ROOT")
local file = os.getenv("MAGELINT_FILE")
local out = os.getenv("MAGELINT_OUT")

local function finish(payload, status)
  local handle = assert(io.open(out, "w"))
  handle:write(vim.json.encode(payload))
  handle:close()
  vim.cmd(status == 0 and "qall!" or "cquit! " .. status)
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local config = {
  name = "magelint",
  cmd = { bin, "server" },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "fixture" } },
}
local client_id
if vim.lsp.start then
  -- Neovim 0.8+
  client_id = vim.lsp.start(config)
else
  -- Neovim 0.7 (Debian bookworm)
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
end
if not client_id then
  finish({ error = "the language server did not start" }, 3)
  return
end

local found = vim.wait(20000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(diagnostics, {
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    end_col = d.end_col,
    severity = d.severity,
    source = d.source,
    code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
    message = d.message,
  })
end
local client = vim.lsp.get_client_by_id(client_id)
if client then
  client.stop()
  vim.wait(5000, function()
    return client.is_stopped()
  end, 50)
end
finish({ found = found, diagnostics = diagnostics, version = vim.version() }, found and 0 or 4)

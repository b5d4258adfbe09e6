-- Drives the ShapeLens server from a real Neovim (0.7+), headless, and records what Neovim
-- itself received: diagnostics, a hover, and the buffer after applying a code action.
-- Environment: PY (python), OUT (result JSON file), HOVER_LINE/HOVER_COL (0-based),
-- ACTION_LINE (1-based line whose diagnostic gets the code action), WAIT_MS (the bound of
-- every wait, default 120000: each one ends as soon as its state is reached, and a loaded
-- machine starting a cold server may need many times the idle second).
local out = os.getenv('OUT')
local BOUND = tonumber(os.getenv('WAIT_MS') or '120000')
local result = { log = {} }
local t0 = vim.loop.hrtime()
local function log(s)
  table.insert(result.log, string.format('[%.2fs] %s', (vim.loop.hrtime() - t0) / 1e9, s))
end
local function finish(ok)
  result.ok = ok
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd(ok and 'qa!' or 'cq!')
end

local config = {
  name = 'shapelens',
  cmd = { os.getenv('PY'), '-m', 'shapelens', 'serve' },
  root_dir = vim.fn.getcwd(),
  init_options = { debounce = 0 },
}
vim.api.nvim_create_autocmd('FileType', { pattern = 'python', callback = function(args)
  if vim.lsp.start then vim.lsp.start(config, { bufnr = args.buf })          -- nvim >= 0.8
  else vim.lsp.buf_attach_client(args.buf, vim.lsp.start_client(config)) end -- nvim 0.7
end })

local function diagnostics()
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(items, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
      end_col = d.end_col, severity = d.severity, source = d.source, message = d.message,
      code = lsp.code or d.code })
  end
  return items
end

vim.api.nvim_create_autocmd('VimEnter', { callback = function()
  local ok, err = pcall(function()
    local v = vim.version()
    result.nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch)
    log('nvim ' .. result.nvim .. ' ft=' .. vim.bo.filetype)
    if not vim.wait(BOUND, function() return #vim.diagnostic.get(0) > 0 end, 20) then
      log('no diagnostics'); return finish(false)
    end
    result.diagnostics = diagnostics()
    log('diagnostics: ' .. #result.diagnostics)

    local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
      position = { line = tonumber(os.getenv('HOVER_LINE')),
                   character = tonumber(os.getenv('HOVER_COL')) } }
    for _, r in pairs(vim.lsp.buf_request_sync(0, 'textDocument/hover', params, BOUND) or {}) do
      if r.result and r.result.contents then result.hover = r.result.contents.value end
    end
    log('hover received')

    -- Neovim picks the action (first offered) and applies the edit itself.
    vim.ui.select = function(items, _, on_choice)
      result.actions = {}
      for _, item in ipairs(items) do
        local action = item.action or item[2] or item
        table.insert(result.actions, action.title)
      end
      on_choice(items[1], 1)
    end
    local line = tonumber(os.getenv('ACTION_LINE'))
    vim.api.nvim_win_set_cursor(0, { line, 6 })
    vim.lsp.buf.code_action()
    if not vim.wait(BOUND, function()
      return vim.api.nvim_buf_get_lines(0, line - 1, line, false)[1]:find('shapelens: ignore') ~= nil
    end, 20) then
      log('code action not applied'); return finish(false)
    end
    result.line_after = vim.api.nvim_buf_get_lines(0, line - 1, line, false)[1]
    if not vim.wait(BOUND, function() return #vim.diagnostic.get(0) == 0 end, 20) then
      log('diagnostics not cleared after the edit'); return finish(false)
    end
    result.diagnostics_after = diagnostics()
    log('diagnostics after the action: ' .. #result.diagnostics_after)
    finish(true)
  end)
  if not ok then log('error: ' .. tostring(err)); finish(false) end
end })

# The two commands of the README. Both stop with a clear message when Odoo 18
# is not importable (set ODOO_PATH=/path/to/odoo-18.0 to use a source checkout).
.PHONY: demo test lint bench help

help:
	@echo "make demo   # Odoo 18 + rma_returns + demo data on http://127.0.0.1:8069"
	@echo "make test   # lint + fresh database + the whole pytest-odoo suite"

demo:
	@bash tools/demo.sh

test:
	@bash tools/test.sh $(PYTEST_ARGS)

bench:
	@bash bench/run.sh

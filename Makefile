# SPDX-License-Identifier: GPL-2.0
#
# carp: build carp.ko for one kernel (KVER) and carpctl; run the VM suite.
#
#   make [KVER=6.1.0-56-amd64] [W=1] [DEBUG=1]   module + carpctl
#                    (DEBUG=1: with load-time self-tests, in build/KVER-debug)
#   make lint        checkpatch --strict and sparse (C=2) over the module
#   make check       the selftests in QEMU on every Debian kernel (installs deps)
#   make check-debug the same suite on a debug kernel (KASAN, lockdep, kmemleak,
#                    debugobjects) built from linux-source, cached in
#                    build/debug-kernel; any report fails (hours: not in CI)
#   make demo        the failover story, live in a VM
#   make install     module (depmod), carpctl and the boot files on this host
#                    [DESTDIR=] [PREFIX=/usr/local]
#   make install-tools   the same without the module (no kernel headers needed)
#                    [IPLIBDIR=/usr/lib/<multiarch>/ip]: where ip(8) finds
#                    link_carp.so (Debian's LIBDIR/ip; not under PREFIX, as
#                    ip looks only there or in $IP_LIB_DIR)
#
# Objects are kept per kernel under build/$(KVER), so one tree builds for
# several kernels side by side.

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/carp
SYSCONFDIR ?= /etc
IPLIBDIR ?= /usr/lib/$(shell gcc -print-multiarch)/ip

# Default kernel: the running one if its headers are here, else the newest
# installed headers.
NEWEST_KVER := $(shell ls -1d /lib/modules/*/build 2>/dev/null | \
		 sed 's,/lib/modules/,,;s,/build,,' | sort -V | tail -n 1)
ifeq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KVER ?= $(NEWEST_KVER)
else
KVER ?= $(shell uname -r)
endif
KDIR ?= /lib/modules/$(KVER)/build
MODSRC := Kbuild $(shell find kmod -name '*.[ch]' | sort)

# DEBUG=1: the in-module self-tests (kmod/selftest.c) run at load; built
# beside the normal module, never over it.
ifeq ($(DEBUG),1)
KBUILD_EXTRA := CONFIG_CARP_DEBUG=y
FLAVOUR := $(KVER)-debug
else
FLAVOUR := $(KVER)
endif
BUILD := $(CURDIR)/build/$(FLAVOUR)

all: module carpctl iproute2

module:
	@test -d "$(KDIR)" || { echo "no kernel headers for '$(KVER)' (apt-get install linux-headers-$(KVER))" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@for f in $(MODSRC); do mkdir -p $(BUILD)/$$(dirname $$f); \
		ln -sfn $(CURDIR)/$$f $(BUILD)/$$f; done
	$(MAKE) -C $(KDIR) M=$(BUILD) $(KBUILD_EXTRA) modules
	@ln -sfn $(BUILD)/carp.ko build/carp-$(FLAVOUR).ko

carpctl:
	$(MAKE) -C tools/carpctl

# link_carp.so: "ip link ... type carp" (tools/iproute2).
iproute2:
	$(MAKE) -C tools/iproute2

# Sparse over the module (C=2 checks every file, built or not).
sparse:
	@mkdir -p $(BUILD)
	@for f in $(MODSRC); do mkdir -p $(BUILD)/$$(dirname $$f); \
		ln -sfn $(CURDIR)/$$f $(BUILD)/$$f; done
	$(MAKE) -C $(KDIR) M=$(BUILD) C=2 CF="-D__CHECK_ENDIAN__" $(KBUILD_EXTRA) modules 2>&1 | \
		tee build/sparse-$(KVER).log
	@! grep -E '(warning|error):' build/sparse-$(KVER).log

checkpatch: build/linux-source/scripts/checkpatch.pl
	build/linux-source/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		-f $(filter-out Kbuild,$(MODSRC))

build/linux-source/scripts/checkpatch.pl:
	scripts/vm/extract-linux-source.sh build/linux-source

lint: checkpatch sparse

check:
	scripts/vm/check.sh

check-debug:
	scripts/vm/check.sh --debug-kernel

demo:
	scripts/vm/demo.sh

bench:
	scripts/vm/bench.sh

install: install-module install-tools

install-module: module
	$(MAKE) -C $(KDIR) M=$(BUILD) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

# carpctl (man page, bash completion), ip's link_carp.so, carp-setup, carp.service and the
# boot hold's carp-release.service and carp-ready.target, carp-metrics.service
# and .timer (node_exporter's textfile), the examples; /etc/carp/carp.conf
# (mode 0600: it holds the passwords) and
# sysctl.conf only if there are none yet (the examples, every line
# commented out).
install-tools: carpctl iproute2
	$(MAKE) -C tools/carpctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR)
	$(MAKE) -C tools/iproute2 install DESTDIR=$(DESTDIR) IPLIBDIR=$(IPLIBDIR)
	install -D -m 0755 tools/systemd/carp-setup $(DESTDIR)$(SBINDIR)/carp-setup
	@mkdir -p $(DESTDIR)$(UNITDIR)
	for u in carp.service carp-release.service carp-metrics.service; do \
		sed -e 's,@SBINDIR@,$(SBINDIR),g' \
		    -e 's,@SYSCONFDIR@,$(SYSCONFDIR),g' tools/systemd/$$u.in \
			>$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 tools/systemd/carp-ready.target \
		tools/systemd/carp-metrics.timer $(DESTDIR)$(UNITDIR)/
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 tools/examples/carp.conf tools/examples/sysctl.conf \
		tools/examples/interfaces $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 Documentation/carp.rst $(DESTDIR)$(DOCDIR)/
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/carp
	@for f in carp.conf:0600 sysctl.conf:0644; do \
		m=$${f#*:}; f=$${f%:*}; \
		if [ -e $(DESTDIR)$(SYSCONFDIR)/carp/$$f ]; then \
			echo "keeping $(DESTDIR)$(SYSCONFDIR)/carp/$$f"; \
		else \
			echo "install -m $$m tools/examples/$$f $(DESTDIR)$(SYSCONFDIR)/carp/$$f"; \
			install -m $$m tools/examples/$$f $(DESTDIR)$(SYSCONFDIR)/carp/$$f; \
		fi; \
	done

clean:
	rm -rf build
	$(MAKE) -C tools/carpctl clean
	$(MAKE) -C tools/iproute2 clean

.PHONY: all module carpctl iproute2 sparse checkpatch lint check check-debug demo bench install \
	install-module install-tools clean

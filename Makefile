# SPDX-License-Identifier: GPL-2.0
#
# carp: build carp.ko for one kernel (KVER) and carpctl; run the VM suite.
#
#   make [KVER=6.1.0-56-amd64] [W=1] [DEBUG=1]   module + carpctl
#                    (DEBUG=1: with load-time self-tests, in build/KVER-debug)
#   make lint        checkpatch --strict and sparse (C=2) over the module
#   make check       the selftests in QEMU on every Debian kernel (installs deps)
#   make demo        the failover story, live in a VM
#   make install     module (depmod) and carpctl on this host
#
# Objects are kept per kernel under build/$(KVER), so one tree builds for
# several kernels side by side.

PREFIX ?= /usr/local
DESTDIR ?=

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

all: module carpctl

module:
	@test -d "$(KDIR)" || { echo "no kernel headers for '$(KVER)' (apt-get install linux-headers-$(KVER))" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@for f in $(MODSRC); do mkdir -p $(BUILD)/$$(dirname $$f); \
		ln -sfn $(CURDIR)/$$f $(BUILD)/$$f; done
	$(MAKE) -C $(KDIR) M=$(BUILD) $(KBUILD_EXTRA) modules
	@ln -sfn $(BUILD)/carp.ko build/carp-$(FLAVOUR).ko

carpctl:
	$(MAKE) -C tools/carpctl

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
	selftests/vm/extract-linux-source.sh build/linux-source

lint: checkpatch sparse

check:
	selftests/vm/check.sh

demo:
	selftests/vm/demo.sh

bench:
	selftests/vm/bench.sh

install: module carpctl
	$(MAKE) -C $(KDIR) M=$(BUILD) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	$(MAKE) -C tools/carpctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	rm -rf build
	$(MAKE) -C tools/carpctl clean

.PHONY: all module carpctl sparse checkpatch lint check demo bench install clean

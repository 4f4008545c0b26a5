"""Defines the Conan 2 recipe of snare, a header-only C++20 library.

Not yet run through conan (Conan is not installable on the build machine); the test suite
checks that it parses and that it reads the version and declares a header library.
Use from the repository root:  conan create conan --build=missing
"""

import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class SnareConan(ConanFile):
    name = "snare"
    description = ("Header-only, policy-based C++20 library for intercepting, observing and "
                   "rewriting the system calls of a Linux process tree")
    license = "BSL-1.0"
    topics = ("syscall", "ptrace", "seccomp", "kvm", "tracing", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True

    @property
    def _root(self):
        # The recipe lives in conan/; the sources are one level up.
        return os.path.join(self.recipe_folder, os.pardir)

    def set_version(self):
        text = load(self, os.path.join(self._root, "include", "snare", "version.hpp"))
        parts = [re.search(rf"#define SNARE_VERSION_{p} (\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
        if not all(parts):
            raise ConanInvalidConfiguration("cannot read SNARE_VERSION_* from include/snare/version.hpp")
        self.version = ".".join(m.group(1) for m in parts)

    def export_sources(self):
        copy(self, "*.hpp", src=os.path.join(self._root, "include"),
             dst=os.path.join(self.export_sources_folder, "include"))
        for name in ("LICENSE", "README.md"):
            copy(self, name, src=self._root, dst=self.export_sources_folder)

    def layout(self):
        basic_layout(self)

    def requirements(self):
        # snare's own code is header-only; these are compiled libraries the consumer links.
        self.requires("boost/[>=1.74.0 <2]")  # hana (headers) and context (compiled)
        self.requires("libunwind/[>=1.6.2 <2]")  # libunwind-ptrace, for guest backtraces

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.os != "Linux":
            raise ConanInvalidConfiguration("snare traces Linux processes: it needs os=Linux")
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 20)

    def source(self):
        pass

    def build(self):
        pass

    def package(self):
        copy(self, "*.hpp", src=os.path.join(self.source_folder, "include"),
             dst=os.path.join(self.package_folder, "include"))
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "snare")
        self.cpp_info.set_property("cmake_target_name", "snare::snare")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.requires = ["boost::headers", "boost::context", "libunwind::ptrace", "libunwind::generic"]
        self.cpp_info.system_libs = ["pthread"]

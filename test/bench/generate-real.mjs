// Writes N tickets shaped like a real helpdesk export (seeded), every row distinct: 16 columns with
// Chinese headers, Chinese subjects built from products, issues and an order number, Chinese
// categories (a fifth empty, for the keyword rules), teams and agents, a customer column of about
// 50,000 customers (a few with many tickets, most with few) and their company names, times to the
// second. UTF-8 or GBK (the encoding Excel saves Chinese CSV in), byte for byte the same text.
// Usage: node test/bench/generate-real.mjs N out.csv [utf-8|gbk]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const n = Number(process.argv[2] ?? 100000);
const encoding = process.argv[4] ?? 'utf-8';
if (encoding !== 'utf-8' && encoding !== 'gbk') throw new Error(`encoding ${encoding}: utf-8 or gbk`);
const out = createWriteStream(process.argv[3] ?? `/tmp/sla-real-${n}-${encoding}.csv`);

/** GBK: every two-byte code decoded once, read backwards (Node encodes only UTF-8). */
function gbkEncoder() {
  const table = new Uint16Array(0x10000);
  const dec = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = dec.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\ufffd' && table[ch.charCodeAt(0)] === 0) table[ch.charCodeAt(0)] = (lead << 8) | trail;
    }
  }
  return (text) => {
    const b = Buffer.allocUnsafe(text.length * 2);
    let j = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) b[j++] = c;
      else {
        const g = table[c];
        if (!g) throw new Error(`${text[i]} has no GBK code`);
        b[j++] = g >> 8;
        b[j++] = g & 0xff;
      }
    }
    return b.subarray(0, j);
  };
}
const encode = encoding === 'gbk' ? gbkEncoder() : (text) => Buffer.from(text, 'utf8');

let seed = 20261207;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const pad = (v) => String(v).padStart(2, '0');
const fmt = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

const CUSTOMERS = 50_000;
const cities = ['上海', '北京', '广州', '深圳', '杭州', '南京', '苏州', '成都', '武汉', '西安', '天津', '重庆', '长沙', '郑州', '青岛', '厦门', '宁波', '合肥', '福州', '昆明'];
const words = ['华信', '创新', '东方', '宏达', '新世纪', '恒通', '联合', '金桥', '天成', '博远', '盛世', '嘉禾', '瑞丰', '中科', '海纳', '安泰', '锦程', '永信', '鼎盛', '卓越', '汇通', '星辰', '远航', '百川', '明德'];
const kinds = ['科技', '贸易', '电子', '物流', '餐饮', '服饰', '家居', '医药', '教育', '文化'];
const suffixes = ['有限公司', '股份有限公司', '商贸行', '集团'];
/** a customer's company name, fixed by its number (50,000 distinct: 20 × 25 × 10 × 4 × ... by the number itself) */
const customerName = (c) => `${cities[c % 20]}${words[Math.floor(c / 20) % 25]}${kinds[Math.floor(c / 500) % 10]}${suffixes[Math.floor(c / 5000) % 4]}${c >= 20_000 ? `第${Math.floor(c / 20_000) + 1}分公司` : ''}`;
const products = ['无线耳机', '智能手表', '电饭煲', '空气净化器', '扫地机器人', '笔记本电脑', '机械键盘', '蓝牙音箱', '儿童座椅', '登山背包', '羽绒服', '跑步鞋', '咖啡机', '电动牙刷', '加湿器', '显示器', '路由器', '保温杯', '行李箱', '投影仪'];
const issues = ['快递三天没有更新物流信息', '申请退款一直没到账', '收到的商品有破损', '无法登录账号', '发票怎么开', '退货地址填错了', '优惠券用不了', '配送员态度很差', '少发了配件', '质量问题要求换货', 'delivery delayed again', 'refund not received', '咨询保修政策', '价格比昨天贵了', '订单被取消了'];
const categories = ['物流问题', '价格问题', '质量问题', '账户问题', '售后服务', '发票问题', '配送问题', '退换货', '咨询', '投诉', '', '', ''];
const teams = ['一线客服', '售后组', '技术支持组', '物流专线', '财务组', 'VIP专席', '华东区客服', '华南区客服'];
const agents = Array.from({ length: 240 }, (_, i) => `${['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'][i % 12]}${['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '霞', '平', '刚', '桂英', '秀兰', '建华'][Math.floor(i / 12)]}`);
const channels = ['电话', '邮件', '在线客服', '微信', 'App'];
const priorities = ['紧急', '高', '中', '中', '中', '低', 'Urgent', 'High', 'Normal'];

let buf = '工单编号,创建时间,首次响应时间,解决时间,优先级,状态,渠道,问题分类,处理组,处理人,客户ID,客户名称,客户等级,主题,满意度,订单号\n';
const START = Date.UTC(2025, 0, 1);
const span = 2 * 365 * 86400000;
const flush = async (last) => {
  const bytes = encode(buf);
  buf = '';
  if (last) out.end(bytes);
  else if (!out.write(bytes)) await once(out, 'drain');
};
for (let i = 0; i < n; i++) {
  const created = START + Math.floor((i / n) * span) + Math.floor(rnd() * 3_600_000);
  const reply = created + Math.floor(rnd() * 8 * 3_600_000);
  const open = rnd() < 0.03;
  const resolved = reply + Math.floor(rnd() * 5 * 86_400_000);
  // a few customers with many tickets, most with a handful: the square of a uniform draw
  const c = Math.floor(rnd() * rnd() * CUSTOMERS);
  const order = `${202500000000 + Math.floor(rnd() * 99_999_999_999)}`;
  const subject = `${pick(products)}${pick(issues)}，订单${order.slice(-6)}`;
  buf += `GD${String(10_000_000 + i)},${fmt(created)},${rnd() < 0.05 ? '' : fmt(reply)},${open ? '' : fmt(resolved)},${pick(priorities)},${open ? '处理中' : '已解决'},${pick(channels)},${pick(categories)},${pick(teams)},${pick(agents)},KH${String(c).padStart(6, '0')},${customerName(c)},${c < 2500 ? 'VIP' : '普通'},${subject},${open || rnd() < 0.4 ? '' : 1 + Math.floor(rnd() * 5)},${order}\n`;
  if (buf.length > 1 << 20) await flush(false);
}
await flush(true);
await once(out, 'finish');
